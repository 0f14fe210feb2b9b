//! Integration tests of saylau-app (one binary, STYLE.md).

mod survey;
