//! Kazakh, Russian and English: the language in the path, messages from Project Fluent
//! files (`locales/{kk,ru,en}/portal.ftl`, embedded in the binary), and numbers formatted
//! here rather than by Fluent, whose number formatting knows no kk/ru digit grouping.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader as _, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Fluent wraps arguments in Unicode isolation marks by default, which would end up
        // inside numbers that tests and screen readers read.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Kazakh.
    Kk,
    /// Russian.
    Ru,
    /// English.
    En,
}

/// Every language, in the order of the language switch.
pub const LANGS: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

impl Lang {
    /// The language of a path segment: `kk`, `ru` or `en`.
    pub fn from_code(code: &str) -> Option<Lang> {
        LANGS.into_iter().find(|lang| lang.code() == code)
    }

    /// The code, as in paths and `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Kk => "Қазақша",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    /// The first language of an `Accept-Language` header that the portal speaks, or
    /// English.
    pub fn negotiate(header: &str) -> Lang {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .filter_map(|tag| tag.trim().split('-').next())
            .find_map(|primary| Lang::from_code(&primary.to_ascii_lowercase()))
            .unwrap_or(Lang::En)
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::Kk => langid!("kk"),
            Lang::Ru => langid!("ru"),
            Lang::En => langid!("en"),
        }
    }

    /// The message `key`.
    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(&self.id(), key)
    }

    /// The message `key` with string arguments.
    pub fn t_args(self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.clone())))
            .collect();
        LOCALES.lookup_with_args(&self.id(), key, &args)
    }

    /// The message `key` with string arguments, if this language or the fallback has it.
    pub fn try_t_args(self, key: &str, args: &[(&'static str, String)]) -> Option<String> {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.clone())))
            .collect();
        LOCALES.try_lookup_with_args(&self.id(), key, &args)
    }

    /// "N stations" with the language's plural form of N.
    pub fn stations(self, n: u64) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        args.insert(Cow::Borrowed("n"), FluentValue::from(n));
        args.insert(Cow::Borrowed("shown"), FluentValue::from(self.number(n)));
        LOCALES.lookup_with_args(&self.id(), "stations-count", &args)
    }

    /// An integer with the language's digit grouping: `1 234 567` (kk, ru, with no-break
    /// spaces) or `1,234,567` (en).
    pub fn number(self, n: u64) -> String {
        let sep = match self {
            Lang::En => ',',
            Lang::Kk | Lang::Ru => '\u{a0}',
        };
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (idx, ch) in digits.chars().enumerate() {
            if idx > 0 && (digits.len() - idx).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(ch);
        }
        out
    }

    /// `part` as a percentage of `whole` with two decimals, rounded half up, with the
    /// language's decimal separator (`12,34 %`, `12.34%`); integers only.
    pub fn percent(self, part: u64, whole: u64) -> String {
        let hundredths = match whole {
            0 => 0,
            whole => (u128::from(part) * 10_000 + u128::from(whole) / 2) / u128::from(whole),
        };
        let (int, frac) = (hundredths / 100, hundredths % 100);
        match self {
            Lang::En => format!("{int}.{frac:02}%"),
            Lang::Kk | Lang::Ru => format!("{int},{frac:02}\u{a0}%"),
        }
    }
}
