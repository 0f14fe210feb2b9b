//! Multi-row statements for the PostgreSQL registration: one `INSERT ... ON CONFLICT DO
//! NOTHING RETURNING` for many rows, so that registering a hierarchy makes one round trip to
//! the server per thousand commissions instead of one per row (a `COPY`, which the log's
//! inserts use, cannot skip the rows that exist).
//!
//! Only numbered placeholders are written into the statement's text; every value is bound.

/// Rows per statement: PostgreSQL takes at most 65,535 bound values in one statement, and
/// a thousand rows of the widest table (the log's 14 columns) stay well below that.
pub(crate) const ROWS_PER_STATEMENT: usize = 1000;

/// `head`, then `rows` tuples of `columns` placeholders numbered from `$1`, then `tail`:
/// `values("INSERT INTO t (a, b) VALUES ", 2, 2, "")` is
/// `INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)`.
pub(crate) fn values(head: &str, rows: usize, columns: usize, tail: &str) -> String {
    let mut sql = String::with_capacity(head.len() + tail.len() + rows * columns * 8);
    sql.push_str(head);
    let mut number = itoa::Buffer::new();
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(number.format(row * columns + column + 1));
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

/// The text of the last multi-row statement made, kept for the next chunk of the same size:
/// a long insert is chunked into full chunks and one shorter last chunk.
#[derive(Default)]
pub(crate) struct Statement {
    rows: usize,
    sql: String,
}

impl Statement {
    /// The statement of [`values`] for `rows` rows, made again only when `rows` changed.
    pub(crate) fn get(&mut self, head: &str, rows: usize, columns: usize, tail: &str) -> &str {
        if self.rows != rows || self.sql.is_empty() {
            self.sql = values(head, rows, columns, tail);
            self.rows = rows;
        }
        &self.sql
    }
}

#[cfg(test)]
mod tests {
    use super::values;

    fn check(rows: usize, columns: usize, expect: &str) {
        assert_eq!(
            values("INSERT INTO t VALUES ", rows, columns, " ON CONFLICT DO NOTHING"),
            expect
        );
    }

    #[test]
    fn placeholders_are_numbered_row_by_row() {
        check(1, 1, "INSERT INTO t VALUES ($1) ON CONFLICT DO NOTHING");
        check(2, 3, "INSERT INTO t VALUES ($1, $2, $3), ($4, $5, $6) ON CONFLICT DO NOTHING");
        let wide = values("", 1000, 14, "");
        assert_eq!(wide.matches('$').count(), 14_000);
        let last_row: Vec<String> = (13_987..=14_000).map(|n| format!("${n}")).collect();
        assert!(wide.starts_with("($1, $2, "), "{wide}");
        assert!(wide.ends_with(&format!("), ({})", last_row.join(", "))), "{wide}");
    }
}
