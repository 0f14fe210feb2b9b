//! Shared test inputs: a small codebook.

pub(crate) const CODEBOOK: &str = r#"
[study]
key = "test"
title = { ru = "Тест", en = "Test" }

[[question]]
key = "region"
kind = "single"
text = { ru = "Регион", en = "Region" }
codes = [
  { code = 1, label = { ru = "Алматы", en = "Almaty" } },
  { code = 2, label = { ru = "Запад", en = "West" } },
  { code = 3, label = { ru = "Юг", en = "South" } },
]

[[question]]
key = "macro"
kind = "single"
text = { ru = "Макрорегион", en = "Macro-region" }
recode = "region"
codes = [
  { code = 1, label = { ru = "Город", en = "City" }, from = [1] },
  { code = 2, label = { ru = "Остальные", en = "Rest" }, from = [2, 3] },
]

[[question]]
key = "aware"
kind = "multiple"
text = { ru = "Знаете ли вы", en = "Aware of" }
codes = [
  { code = 1, label = { ru = "Акимы", en = "Akims" } },
  { code = 2, label = { ru = "Порог", en = "Threshold" } },
  { code = 9, label = { ru = "Ничего", en = "None" }, exclusive = true },
]

[[question]]
key = "when"
kind = "single"
text = { ru = "Когда узнали", en = "When learned" }
filter = { question = "aware", codes = [2] }
codes = [
  { code = 1, label = { ru = "Давно", en = "Long ago" } },
  { code = 2, label = { ru = "Недавно", en = "Recently" } },
]
nets = [{ key = "any", label = { ru = "Любое", en = "Any" }, codes = [1, 2] }]
"#;

/// The seed's published survey tables (vendored reference data).
pub(crate) fn seed_tables() -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/reference/survey/seed-tables.json");
    let text = std::fs::read_to_string(path).expect("the vendored seed tables");
    serde_json::from_str(&text).expect("valid JSON")
}
