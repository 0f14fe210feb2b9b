//! Open lists: a lists file's preference votes reorder its lists under the file's
//! `[open_list]` rule (`saylau lists FILE --open`, `docs/open-lists.md`).

use std::path::Path;

use saylau_core::law::open_list::{OpenListRule, open_list};
use saylau_formats::read_lists;
use serde::Serialize;

use super::LawError;

pub use saylau_core::law::list_seats::Replacement;
pub use saylau_core::law::open_list::{OpenListReport, OpenListRow};
pub use saylau_formats::ListsMeta;

/// Every list reordered by its preference votes: the JSON of `saylau lists --open --json`.
#[derive(Debug, Clone, Serialize)]
pub struct OpenLists {
    /// The file's provenance.
    pub meta: ListsMeta,
    /// The article or recommendation the rule rests on.
    pub article: Option<String>,
    /// Each list with preference votes, in file order.
    pub lists: Vec<OpenListReport>,
}

/// Reorders the lists of the file at `path` by their preference votes under the file's
/// rule, or with `pure` in pure order of preference votes (to set the two side by side).
pub fn reorder(path: &Path, pure: bool) -> Result<OpenLists, LawError> {
    let file = read_lists(path).map_err(LawError::Rejected)?;
    let failed = |message: String| LawError::Failed {
        context: format!("open lists of {}", path.display()),
        source: message.into(),
    };
    let open = file
        .open
        .ok_or_else(|| failed("the file has no [open_list] rule and no preference votes".into()))?;
    let rule = if pure { OpenListRule::Preferences } else { open.rule };
    let lists = open
        .lists
        .iter()
        .map(|prefs| {
            let list = file
                .set
                .lists()
                .iter()
                .find(|list| list.id == prefs.list)
                .ok_or_else(|| failed(format!("no list {}", prefs.list)))?;
            open_list(list, prefs, &rule).map_err(|err| failed(err.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(OpenLists { meta: file.meta, article: open.article, lists })
}
