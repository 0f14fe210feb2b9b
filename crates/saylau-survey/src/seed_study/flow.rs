//! Feasible flows with lower and upper bounds on tiny graphs (a few dozen nodes): the
//! tool that turns printed percentages into integer counts that print the same, and
//! spreads counts over segment x region cells with exact margins.
//!
//! Edmonds-Karp on a capacity matrix, with the textbook reduction of lower bounds to a
//! max flow from a super source (Ahuja, Magnanti, Orlin, ch. 6). Hand-written: the graphs
//! are tiny and a graph crate would not do the lower bounds.

use std::collections::VecDeque;

const INFINITE: i64 = i64::MAX / 4;

/// A network of bounded edges; node 0 and 1 are free to use as the caller likes.
#[derive(Debug, Clone)]
pub(crate) struct Network {
    n_nodes: usize,
    edges: Vec<(usize, usize, i64, i64)>,
}

impl Network {
    pub(crate) fn new(n_nodes: usize) -> Network {
        Network { n_nodes, edges: Vec::new() }
    }

    /// Adds an edge carrying between `lower` and `upper` units; returns its index.
    pub(crate) fn edge(&mut self, from: usize, to: usize, lower: i64, upper: i64) -> usize {
        self.edges.push((from, to, lower, upper));
        self.edges.len() - 1
    }

    /// An edge without an upper bound.
    pub(crate) fn open_edge(&mut self, from: usize, to: usize) -> usize {
        self.edge(from, to, 0, INFINITE)
    }

    /// A circulation meeting every bound: the flow on each edge, or `None`.
    pub(crate) fn circulation(&self) -> Option<Vec<i64>> {
        if self.edges.iter().any(|(_, _, lower, upper)| lower > upper) {
            return None;
        }
        let (source, sink) = (self.n_nodes, self.n_nodes + 1);
        let size = self.n_nodes + 2;
        let mut capacity = vec![vec![0_i64; size]; size];
        let mut excess = vec![0_i64; size];
        for (from, to, lower, upper) in &self.edges {
            capacity[*from][*to] += upper - lower;
            excess[*to] += lower;
            excess[*from] -= lower;
        }
        let mut demand = 0;
        for (node, value) in excess.iter().enumerate().take(self.n_nodes) {
            if *value > 0 {
                capacity[source][node] += value;
                demand += value;
            } else {
                capacity[node][sink] -= value;
            }
        }
        let original = capacity.clone();
        if max_flow(&mut capacity, source, sink) < demand {
            return None;
        }
        // Flow on (u, v) is what left its residual capacity; parallel edges share it in order.
        let mut used: Vec<Vec<i64>> = (0..size)
            .map(|u| (0..size).map(|v| (original[u][v] - capacity[u][v]).max(0)).collect())
            .collect();
        Some(
            self.edges
                .iter()
                .map(|(from, to, lower, upper)| {
                    let take = used[*from][*to].min(upper - lower);
                    used[*from][*to] -= take;
                    lower + take
                })
                .collect(),
        )
    }
}

fn max_flow(capacity: &mut [Vec<i64>], source: usize, sink: usize) -> i64 {
    let size = capacity.len();
    let mut total = 0;
    loop {
        let mut parent = vec![usize::MAX; size];
        parent[source] = source;
        let mut queue = VecDeque::from([source]);
        while let Some(node) = queue.pop_front() {
            for next in 0..size {
                if parent[next] == usize::MAX && capacity[node][next] > 0 {
                    parent[next] = node;
                    queue.push_back(next);
                }
            }
        }
        if parent[sink] == usize::MAX {
            return total;
        }
        let mut bottleneck = INFINITE;
        let mut node = sink;
        while node != source {
            bottleneck = bottleneck.min(capacity[parent[node]][node]);
            node = parent[node];
        }
        let mut node = sink;
        while node != source {
            capacity[parent[node]][node] -= bottleneck;
            capacity[node][parent[node]] += bottleneck;
            node = parent[node];
        }
        total += bottleneck;
    }
}

#[cfg(test)]
mod tests {
    use super::Network;

    #[test]
    fn a_transport_problem_with_exact_margins() {
        // Rows 3 and 2, columns 1 and 4, every cell at most 2: the only answer is [1 2 / 0 2].
        let mut network = Network::new(6);
        let rows = [network.edge(0, 2, 3, 3), network.edge(0, 3, 2, 2)];
        let cells = [
            network.edge(2, 4, 0, 2),
            network.edge(2, 5, 0, 2),
            network.edge(3, 4, 0, 2),
            network.edge(3, 5, 0, 2),
        ];
        network.edge(4, 1, 1, 1);
        network.edge(5, 1, 4, 4);
        network.open_edge(1, 0);
        let flow = network.circulation().expect("feasible");
        assert_eq!(rows.map(|it| flow[it]), [3, 2]);
        assert_eq!(cells.map(|it| flow[it]), [1, 2, 0, 2]);
        let mut infeasible = Network::new(2);
        infeasible.edge(0, 1, 3, 3);
        infeasible.edge(1, 0, 0, 2);
        assert!(infeasible.circulation().is_none());
    }
}
