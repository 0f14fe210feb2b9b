//! Consistency checks on published result tables: do the parts add up to their totals?
//!
//! The CEC publishes tables of totals (per region, with a total row), and the seed's
//! central complaint is that observers cannot cross-check them (section 6). Even the
//! totals do not always add up: table 3 of the seed (rural akims, 25 July 2021) gives
//! Zhambyl 38 seats but 37 winners, and the country 729 winners for 730 seats. A
//! [`PublishedTable`] declares its relations as data ("winners per party add up to the
//! seats", "the total row is the sum of the regions", "a share is the count over the
//! total") and [`check_table`] reports every cell that breaks one.
//!
//! A blank cell (not published) is never guessed: a relation that needs it is skipped and
//! noted, and a column sum over rows with blanks adds up the published cells and says so.
//!
//! The module has two parts: `table` holds the table, its cells and relations, and
//! checks that they fit together; `check` tests the relations cell by cell and reports
//! problems and notes.

mod check;
mod table;

pub use check::{Figure, Note, Problem, TableCheck, check_table};
pub use table::{
    Blank, Cell, Column, ColumnKind, NamedRelation, PublishedPercent, PublishedTable, Relation,
    Row, RowRole, ShareRounding, TableError,
};
