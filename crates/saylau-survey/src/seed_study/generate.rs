//! The synthetic respondent file of the seed's study (steps in `seed_study`).

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::counts::{self, Percentages, QuestionCounts};
use super::{TABLES, TableSpec, codebook, published_table, seed_tables};
use crate::codebook::{Codebook, Kind, Question};
use crate::published::PublishedTable;
use crate::respondents::{Answers, Respondents};

/// The synthetic file and how it was made.
#[derive(Debug, Clone)]
pub struct Synthetic {
    /// The seed's codebook.
    pub codebook: Codebook,
    /// 1,200 synthetic respondents.
    pub respondents: Respondents,
    /// The seed of every shuffle.
    pub seed: u64,
    /// Tables that could not be reproduced together with their twin, and why.
    pub notes: Vec<String>,
}

/// Why the file could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[non_exhaustive]
pub enum GenerationError {
    /// No whole counts print as a table's percentages.
    #[error("table {0}: no whole counts print as the published percentages")]
    NoCounts(String),
    /// A code's counts do not fit the cells left.
    #[error(
        "question {question}: the counts of {group} do not fit the segment x macro-region cells"
    )]
    NoSpread {
        /// The question.
        question: String,
        /// The row.
        group: String,
    },
    /// Respondents in a cell would have no answer to a multiple-response question.
    #[error("question {question}: {missing} respondents of a cell would have no answer")]
    Uncovered {
        /// The question.
        question: String,
        /// How many.
        missing: i64,
    },
    /// A filtered table's base is not the number of respondents the filter opens.
    #[error("table {table}: base {published} published, {found} respondents pass the filter")]
    FilteredBase {
        /// The table.
        table: String,
        /// The published base.
        published: i64,
        /// The respondents passing the filter.
        found: i64,
    },
}

/// Respondents per cell, and per code the count in each cell.
type CellCounts = (Vec<Vec<usize>>, Vec<Vec<i64>>);

struct Layout {
    segment_keys: Vec<String>,
    region_keys: Vec<String>,
    /// Respondents per segment x macro-region cell, `cells[s * n_regions + r]`.
    cells: Vec<Vec<usize>>,
    joint: Vec<Vec<i64>>,
}

/// Makes the synthetic respondent file from `seed`.
///
/// # Errors
/// When a published table cannot be reproduced (never for the bundled tables; tested).
pub fn synthetic_respondents(seed: u64) -> Result<Synthetic, GenerationError> {
    let codebook = codebook();
    let tables = seed_tables();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let first = published_table(&tables, "T1");
    let second = published_table(&tables, "T2");
    let keys = |table: &PublishedTable| {
        table
            .columns
            .iter()
            .filter(|it| it.key != "total")
            .map(|it| it.key.clone())
            .collect::<Vec<_>>()
    };
    let (segment_keys, region_keys) = (keys(&first), keys(&second));
    let bases = |table: &PublishedTable, keys: &[String]| {
        keys.iter().map(|it| table.bases[it] as i64).collect::<Vec<_>>()
    };
    let joint = counts::proportional(&bases(&first, &segment_keys), &bases(&second, &region_keys))
        .ok_or_else(|| GenerationError::NoCounts("T1/T2 bases".to_owned()))?;
    let mut cells = Vec::new();
    let mut next = 0;
    for row in &joint {
        for size in row {
            let size = usize::try_from(*size).unwrap_or(0);
            cells.push((next..next + size).collect::<Vec<_>>());
            next += size;
        }
    }
    let layout = Layout { segment_keys, region_keys, cells, joint };
    let n = next;
    let mut answers: Vec<Answers> = codebook
        .questions()
        .iter()
        .map(|it| match it.kind {
            Kind::Single => Answers::Single(vec![None; n]),
            Kind::Multiple => Answers::Multiple(vec![None; n]),
        })
        .collect();
    deal_banners(&codebook, &tables, &layout, &mut answers, &mut rng);
    let mut notes = Vec::new();
    for spec in &TABLES {
        deal_table(&codebook, &tables, &layout, spec, &mut answers, &mut rng, &mut notes)?;
    }
    let ids = (1..=n).map(|it| format!("synthetic-{it:04}")).collect();
    let respondents = Respondents::from_answers(&codebook, ids, answers);
    Ok(Synthetic { codebook, respondents, seed, notes })
}

fn set_single(answers: &mut Answers, row: usize, code_idx: usize) {
    if let Answers::Single(values) = answers {
        values[row] = u16::try_from(code_idx).ok();
    }
}

fn add_multiple(answers: &mut Answers, row: usize, code_idx: usize) {
    if let Answers::Multiple(values) = answers {
        values[row] = Some(values[row].unwrap_or(0) | 1 << code_idx);
    }
}

/// Segment, and the 17 regions dealt inside each macro-region by the sample's counts.
fn deal_banners(
    codebook: &Codebook,
    tables: &serde_json::Value,
    layout: &Layout,
    answers: &mut [Answers],
    rng: &mut ChaCha8Rng,
) {
    let n_regions = layout.region_keys.len();
    let segment_idx = codebook.question_index("segment").expect("the seed codebook has segment");
    let region_idx = codebook.question_index("region").expect("the seed codebook has region");
    for (cell_idx, members) in layout.cells.iter().enumerate() {
        for member in members {
            set_single(&mut answers[segment_idx], *member, cell_idx / n_regions);
        }
    }
    let sample =
        tables["methodology"]["regions"]["table"].as_array().expect("the sample's regions");
    for (r, key) in layout.region_keys.iter().enumerate() {
        let mut members: Vec<usize> = (0..layout.segment_keys.len())
            .flat_map(|s| layout.cells[s * n_regions + r].clone())
            .collect();
        members.shuffle(rng);
        let mut start = 0;
        for (region, entry) in sample.iter().enumerate() {
            if entry["macro"] != key.as_str() {
                continue;
            }
            let size = usize::try_from(entry["n"].as_u64().unwrap_or(0)).unwrap_or(0);
            for member in &members[start..start + size] {
                set_single(&mut answers[region_idx], *member, region);
            }
            start += size;
        }
    }
}

/// The rows of a table as the question's codes (or nets), in codebook order.
fn percentages(
    table: &PublishedTable,
    question: &Question,
    nets: bool,
    keys: &[String],
) -> (Percentages, Vec<f64>) {
    let labels: Vec<&str> = if nets {
        question.nets.iter().map(|it| it.label.ru.as_str()).collect()
    } else {
        question.codes.iter().map(|it| it.label.ru.as_str()).collect()
    };
    let rows: Vec<_> = labels
        .iter()
        .map(|label| {
            table
                .rows
                .iter()
                .find(|row| row.label_ru == *label)
                .unwrap_or_else(|| panic!("{}: no row {label}", table.id))
        })
        .collect();
    let percent = rows.iter().map(|row| keys.iter().map(|key| row.values[key]).collect()).collect();
    let total = rows.iter().map(|row| row.values["total"]).collect();
    let bases = keys.iter().map(|key| table.bases[key] as i64).collect();
    (Percentages { percent, bases, fixed: Vec::new() }, total)
}

fn deal_table(
    codebook: &Codebook,
    tables: &serde_json::Value,
    layout: &Layout,
    spec: &TableSpec,
    answers: &mut [Answers],
    rng: &mut ChaCha8Rng,
    notes: &mut Vec<String>,
) -> Result<(), GenerationError> {
    let question_idx =
        codebook.question_index(spec.question).expect("every table's question is in the codebook");
    let question = &codebook.questions()[question_idx];
    let by_segment = published_table(tables, spec.by_segment);
    let (mut segments, total) = percentages(&by_segment, question, spec.nets, &layout.segment_keys);
    segments.fixed = filtered_bases(codebook, tables, question, &layout.segment_keys);
    let regions = spec.by_region.map(|id| {
        percentages(&published_table(tables, id), question, spec.nets, &layout.region_keys).0
    });
    let single = question.kind == Kind::Single;
    let counts = match counts::question_counts(&segments, &total, regions.as_ref(), single) {
        Some(found) => found,
        None => {
            let found = counts::question_counts(&segments, &total, None, single)
                .ok_or_else(|| GenerationError::NoCounts(spec.by_segment.to_owned()))?;
            notes.push(format!(
                "{} and {} have no common whole counts; {} is reproduced, {} only approximately",
                spec.by_segment,
                spec.by_region.unwrap_or(""),
                spec.by_segment,
                spec.by_region.unwrap_or("")
            ));
            found
        }
    };
    let (cells, per_cell) = match &question.filter {
        Some(filter) => (
            filtered_cells(codebook, layout, spec, filter, &segments, answers)?,
            counts.by_segment.clone(),
        ),
        None => spread_cells(layout, question, &counts)?,
    };
    let groups: Vec<Vec<usize>> = if spec.nets {
        question
            .nets
            .iter()
            .map(|net| net.codes.iter().filter_map(|code| question.code_index(*code)).collect())
            .collect()
    } else {
        (0..question.codes.len()).map(|it| vec![it]).collect()
    };
    for (cell_idx, members) in cells.iter().enumerate() {
        let mut members = members.clone();
        members.shuffle(rng);
        let cell_counts: Vec<i64> = per_cell.iter().map(|it| it[cell_idx]).collect();
        if single {
            deal_single(&members, &cell_counts, &groups, &mut answers[question_idx]);
        } else {
            deal_multiple(question, &members, &cell_counts, &mut answers[question_idx])?;
        }
    }
    Ok(())
}

/// The exact counts of a question's codes that filter other questions: the published
/// bases of those questions' tables (the aware respondents of T13 are the bases of T15-T19).
fn filtered_bases(
    codebook: &Codebook,
    tables: &serde_json::Value,
    question: &Question,
    keys: &[String],
) -> Vec<Option<Vec<i64>>> {
    let mut fixed = vec![None; question.codes.len()];
    for spec in &TABLES {
        let filtered = codebook.question(spec.question).and_then(|it| it.filter.as_ref());
        let Some(filter) = filtered.filter(|it| it.question == question.key && it.codes.len() == 1)
        else {
            continue;
        };
        let Some(code_idx) = question.code_index(filter.codes[0]) else { continue };
        let table = published_table(tables, spec.by_segment);
        fixed[code_idx] = Some(keys.iter().map(|key| table.bases[key] as i64).collect());
    }
    fixed
}

/// A filtered question: one cell per segment, its members those the filter opens.
fn filtered_cells(
    codebook: &Codebook,
    layout: &Layout,
    spec: &TableSpec,
    filter: &crate::codebook::Filter,
    segments: &Percentages,
    answers: &[Answers],
) -> Result<Vec<Vec<usize>>, GenerationError> {
    let filter_idx = codebook.question_index(&filter.question).expect("validated filter");
    let filter_question = &codebook.questions()[filter_idx];
    let open: Vec<usize> =
        filter.codes.iter().filter_map(|code| filter_question.code_index(*code)).collect();
    let n_regions = layout.region_keys.len();
    let mut cells = Vec::new();
    for (s, base) in segments.bases.iter().enumerate() {
        let members: Vec<usize> = (0..n_regions)
            .flat_map(|r| layout.cells[s * n_regions + r].clone())
            .filter(|row| open.iter().any(|code| answers[filter_idx].has(*row, *code)))
            .collect();
        let found = i64::try_from(members.len()).unwrap_or(i64::MAX);
        if found != *base {
            return Err(GenerationError::FilteredBase {
                table: spec.by_segment.to_owned(),
                published: *base,
                found,
            });
        }
        cells.push(members);
    }
    Ok(cells)
}

/// Spreads each code's segment and macro-region counts over the cells: exclusive codes
/// and single-response codes share a cell's respondents (the largest code takes what is
/// left), the items of a multiple-response question each fit in the non-exclusive rest.
fn spread_cells(
    layout: &Layout,
    question: &Question,
    counts: &QuestionCounts,
) -> Result<CellCounts, GenerationError> {
    let n_regions = layout.region_keys.len();
    let Some(by_region) = &counts.by_region else {
        let cells = (0..layout.segment_keys.len())
            .map(|s| (0..n_regions).flat_map(|r| layout.cells[s * n_regions + r].clone()).collect())
            .collect();
        return Ok((cells, counts.by_segment.clone()));
    };
    let n_groups = counts.by_segment.len();
    let shared: Vec<usize> = (0..n_groups)
        .filter(|g| question.kind == Kind::Single || question.codes[*g].exclusive)
        .collect();
    let mut left = layout.joint.clone();
    let mut per_cell = vec![Vec::new(); n_groups];
    let mut order = shared.clone();
    order.sort_by_key(|g| counts.by_segment[*g].iter().sum::<i64>());
    let last = if question.kind == Kind::Single { order.pop() } else { None };
    for g in order.iter().copied().chain(
        question
            .codes
            .iter()
            .enumerate()
            .filter(|(_, it)| !it.exclusive && question.kind == Kind::Multiple)
            .map(|(g, _)| g),
    ) {
        let capacity = left.clone();
        let spread =
            counts::fitted(&counts.by_segment[g], &by_region[g], &capacity).ok_or_else(|| {
                GenerationError::NoSpread { question: question.key.clone(), group: g.to_string() }
            })?;
        if shared.contains(&g) {
            for (row, taken) in left.iter_mut().zip(&spread) {
                for (cell, value) in row.iter_mut().zip(taken) {
                    *cell -= value;
                }
            }
        }
        per_cell[g] = spread.into_iter().flatten().collect();
    }
    if let Some(last) = last {
        per_cell[last] = left.iter().flatten().copied().collect();
    }
    if question.kind == Kind::Multiple {
        let items: Vec<usize> = (0..n_groups).filter(|g| !shared.contains(g)).collect();
        let rest: Vec<i64> = left.iter().flatten().copied().collect();
        if !cover(&mut per_cell, &items, &rest, n_regions) {
            return Err(GenerationError::Uncovered { question: question.key.clone(), missing: 1 });
        }
    }
    Ok((layout.cells.clone(), per_cell))
}

/// Deals runs of a shuffled cell: group `g` takes the next `counts[g]` respondents; a
/// net's respondents take its codes in turn.
fn deal_single(members: &[usize], counts: &[i64], groups: &[Vec<usize>], answers: &mut Answers) {
    let mut start = 0;
    for (group, count) in groups.iter().zip(counts) {
        let count = usize::try_from(*count).unwrap_or(0);
        for (turn, member) in members[start..start + count].iter().enumerate() {
            set_single(answers, *member, group[turn % group.len()]);
        }
        start += count;
    }
}

/// Exclusive codes take runs first; every item then takes the next respondents of the
/// rest in a cycle, so that everyone has an answer when the items add up to the rest.
fn deal_multiple(
    question: &Question,
    members: &[usize],
    counts: &[i64],
    answers: &mut Answers,
) -> Result<(), GenerationError> {
    let mut start = 0;
    for (g, code) in question.codes.iter().enumerate() {
        if code.exclusive {
            let count = usize::try_from(counts[g]).unwrap_or(0);
            for member in &members[start..start + count] {
                add_multiple(answers, *member, g);
            }
            start += count;
        }
    }
    let rest = &members[start..];
    let items: i64 = question
        .codes
        .iter()
        .zip(counts)
        .filter(|(code, _)| !code.exclusive)
        .map(|(_, count)| count)
        .sum();
    let missing = i64::try_from(rest.len()).unwrap_or(i64::MAX) - items;
    if missing > 0 {
        return Err(GenerationError::Uncovered { question: question.key.clone(), missing });
    }
    let mut cursor = 0;
    for (g, code) in question.codes.iter().enumerate() {
        if code.exclusive {
            continue;
        }
        for _ in 0..counts[g] {
            add_multiple(answers, rest[cursor % rest.len()], g);
            cursor += 1;
        }
    }
    Ok(())
}

/// Moves items between cells until every cell has at least as many item answers as
/// respondents without an exclusive code: one unit of an item goes into the short cell A
/// and into the cell D opposite it, out of the cells B (A's segment) and C (A's region),
/// which have answers to spare; every margin stays the same.
fn cover(per_cell: &mut [Vec<i64>], items: &[usize], rest: &[i64], n_regions: usize) -> bool {
    let n_cells = rest.len();
    let total =
        |per_cell: &[Vec<i64>], cell: usize| items.iter().map(|g| per_cell[*g][cell]).sum::<i64>();
    // Each move lowers the total shortfall by one; the bound only guards the loop.
    for _ in 0..100_000 {
        let Some(short) = (0..n_cells).find(|cell| total(per_cell, *cell) < rest[*cell]) else {
            return true;
        };
        let (s, r) = (short / n_regions, short % n_regions);
        let spare = |per_cell: &[Vec<i64>], cell: usize| total(per_cell, cell) > rest[cell];
        let mut moved = false;
        'search: for g in items {
            if per_cell[*g][short] >= rest[short] {
                continue;
            }
            for other_r in (0..n_regions).filter(|it| *it != r) {
                let b = s * n_regions + other_r;
                if per_cell[*g][b] == 0 || !spare(per_cell, b) {
                    continue;
                }
                for other_s in (0..n_cells / n_regions).filter(|it| *it != s) {
                    let (c, d) = (other_s * n_regions + r, other_s * n_regions + other_r);
                    if per_cell[*g][c] > 0 && spare(per_cell, c) && per_cell[*g][d] < rest[d] {
                        per_cell[*g][short] += 1;
                        per_cell[*g][d] += 1;
                        per_cell[*g][b] -= 1;
                        per_cell[*g][c] -= 1;
                        moved = true;
                        break 'search;
                    }
                }
            }
        }
        if !moved {
            return false;
        }
    }
    false
}
