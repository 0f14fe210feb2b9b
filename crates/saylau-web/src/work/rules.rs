//! The control-relation messages of the working interface in the page's language: a broken
//! rule (`saylau_app::entry::Broken`) is said with the Fluent message `broken-CODE`
//! (`locales/*/work.ftl`, one per rule code of `docs/protocol.md` and `form`), its numbers
//! grouped as the language groups them and a v2 line by its label; the live check
//! (`POST /work/check`), the entry, copy and resolve forms all say it so. A rule without a
//! message (the store's refusals, which name their own numbers) keeps its English text.

use saylau_app::entry::Broken;
use saylau_core::count::protocol::rule::ProtocolRule;
use strum::IntoEnumIterator as _;

use crate::i18n::Lang;

/// Every rule code a form can show with its numbers: the control relations and `form` (a
/// line that is not a whole number).
pub fn codes() -> Vec<String> {
    ProtocolRule::iter().map(|rule| rule.code().to_owned()).chain(["form".to_owned()]).collect()
}

/// `broken`'s message in `lang`.
pub fn say(lang: Lang, broken: &Broken) -> String {
    if broken.args.is_empty() {
        return broken.message.clone();
    }
    let args: Vec<(&'static str, String)> = broken
        .args
        .iter()
        .map(|(name, value)| {
            let shown = if name.ends_with("_line") {
                lang.t(&format!("v2-{value}"))
            } else {
                match value.parse::<u64>() {
                    Ok(number) if !matches!(*name, "line" | "key" | "label" | "text") => {
                        lang.number(number)
                    }
                    _ => value.clone(),
                }
            };
            (*name, shown)
        })
        .collect();
    lang.try_t_args(&format!("broken-{}", broken.rule), &args)
        .unwrap_or_else(|| broken.message.clone())
}

/// `broken` with each message said in `lang`.
pub fn localized(lang: Lang, broken: Vec<Broken>) -> Vec<Broken> {
    broken.into_iter().map(|it| Broken { message: say(lang, &it), ..it }).collect()
}
