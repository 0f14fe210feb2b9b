//! Calendar dates and exact ages, for eligibility and list quotas.
//!
//! Ages decide eligibility (25 years for a rural akim, art. 36 p. 1 of the Law «On local
//! state administration and self-government») and the youth quota of party lists (persons
//! who have not reached 29, art. 89 p. 4 of the Constitutional Law «On Elections»). They
//! are computed in whole years from the calendar, with no time of day and no floats.

use std::fmt;

use serde::{Serialize, Serializer};

/// A day of the Gregorian calendar, such as `2021-07-25`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text or numbers are not a calendar date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD`.
    #[error("{0:?} is not a date (expected YYYY-MM-DD, such as 2021-07-25)")]
    NotADate(String),
    /// A month or day outside the calendar, such as `2021-02-29`.
    #[error("{0} is not a day of the calendar")]
    NoSuchDay(String),
}

/// A whole number of years: an age or a length of service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Years(pub u32);

impl fmt::Display for Years {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Date {
    /// The date `year-month-day`, if the calendar has it.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, DateError> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::NoSuchDay(format!("{year:04}-{month:02}-{day:02}")));
        }
        Ok(Date { year, month, day })
    }

    /// Its year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// Its month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// Its day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Parses `YYYY-MM-DD` (four, two and two digits).
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let not_a_date = || DateError::NotADate(text.to_owned());
        let mut parts = text.split('-');
        let (Some(year), Some(month), Some(day), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(not_a_date());
        };
        let digits = |part: &str, len: usize| {
            part.len() == len && part.bytes().all(|byte| byte.is_ascii_digit())
        };
        if !digits(year, 4) || !digits(month, 2) || !digits(day, 2) {
            return Err(not_a_date());
        }
        let year = year.parse().map_err(|_| not_a_date())?;
        let month = month.parse().map_err(|_| not_a_date())?;
        let day = day.parse().map_err(|_| not_a_date())?;
        Date::new(year, month, day)
    }

    /// The age in completed years on `day` of a person born on this date; `None` when
    /// `day` is before the birth.
    ///
    /// A birthday is reached on the same month and day. A person born on 29 February
    /// reaches it on 1 March in a common year: on 28 February the day has not come yet.
    pub fn age_on(&self, day: Date) -> Option<Years> {
        if day < *self {
            return None;
        }
        let before_birthday = (day.month, day.day) < (self.month, self.day);
        let years = u32::from(day.year - self.year) - u32::from(before_birthday);
        Some(Years(years))
    }
}

impl Date {
    /// The number of days from 1970-01-01 to this date (negative before it).
    ///
    /// Hand-written (H. Hinnant's `days_from_civil`, integers only): the core needs this
    /// one conversion for the election calendar, not a date-time crate.
    pub fn day_number(&self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year =
            (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date of day number `number` (days from 1970-01-01), if its year is 1 to 9999.
    pub fn from_day_number(number: i64) -> Option<Date> {
        let shifted = number.checked_add(719_468)?;
        let era = shifted.div_euclid(146_097);
        let day_of_era = shifted - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_index = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_index + 2) / 5 + 1;
        let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        let year = u16::try_from(year).ok().filter(|year| (1..=9999).contains(year))?;
        Date::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?).ok()
    }

    /// The date `days` days later (earlier when negative), if it is in the years 1 to 9999.
    pub fn plus_days(&self, days: i64) -> Option<Date> {
        Date::from_day_number(self.day_number().checked_add(days)?)
    }

    /// The number of days from `earlier` to this date (negative when `earlier` is later).
    pub fn days_since(&self, earlier: Date) -> i64 {
        self.day_number() - earlier.day_number()
    }

    /// The day of the week, Monday first (1970-01-01 was a Thursday).
    pub fn weekday(&self) -> Weekday {
        const DAYS: [Weekday; 7] = [
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
        ];
        let idx = usize::try_from(self.day_number().rem_euclid(7)).expect("0 to 6");
        DAYS[idx]
    }
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[expect(missing_docs, reason = "the names of the days say it all")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    /// The English abbreviation: `Mon` ... `Sun`.
    pub fn short(self) -> &'static str {
        match self {
            Weekday::Monday => "Mon",
            Weekday::Tuesday => "Tue",
            Weekday::Wednesday => "Wed",
            Weekday::Thursday => "Thu",
            Weekday::Friday => "Fri",
            Weekday::Saturday => "Sat",
            Weekday::Sunday => "Sun",
        }
    }
}

/// The number of days in a month of the Gregorian calendar.
fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `birth` and `day` as text; the expected age, or the error's message.
    fn check(birth: &str, day: &str, expect: &str) {
        let res = Date::parse(birth).and_then(|birth| Ok((birth, Date::parse(day)?)));
        let res = match res {
            Ok((birth, day)) => match birth.age_on(day) {
                Some(age) => age.to_string(),
                None => "not born".to_owned(),
            },
            Err(err) => err.to_string(),
        };
        assert_eq!(res, expect, "{birth} on {day}");
    }

    #[test]
    fn ages_are_completed_years() {
        // The rural akim elections of 25 July 2021.
        check("1996-07-25", "2021-07-25", "25");
        check("1996-07-26", "2021-07-25", "24");
        check("1996-07-24", "2021-07-25", "25");
        check("1996-12-31", "2021-07-25", "24");
        check("2021-07-25", "2021-07-25", "0");
        check("2021-07-26", "2021-07-25", "not born");
    }

    #[test]
    fn leap_day_birthdays_come_on_the_first_of_march() {
        check("1996-02-29", "2021-02-28", "24");
        check("1996-02-29", "2021-03-01", "25");
        check("1996-02-29", "2024-02-29", "28");
    }

    #[test]
    fn only_calendar_days_parse() {
        check("2021-02-29", "2021-07-25", "2021-02-29 is not a day of the calendar");
        check("2000-02-29", "2000-02-29", "0");
        check("1900-02-29", "2021-07-25", "1900-02-29 is not a day of the calendar");
        check("2021-13-01", "2021-07-25", "2021-13-01 is not a day of the calendar");
        check(
            "2021-7-25",
            "2021-07-25",
            r#""2021-7-25" is not a date (expected YYYY-MM-DD, such as 2021-07-25)"#,
        );
        check(
            "25.07.2021",
            "2021-07-25",
            r#""25.07.2021" is not a date (expected YYYY-MM-DD, such as 2021-07-25)"#,
        );
    }

    #[test]
    fn day_numbers_count_calendar_days() {
        let day = |text: &str| Date::parse(text).expect("a date");
        assert_eq!(day("1970-01-01").day_number(), 0);
        assert_eq!(day("2021-07-25").days_since(day("2021-06-15")), 40);
        assert_eq!(day("2021-01-10").days_since(day("2020-10-21")), 81);
        assert_eq!(day("2024-03-01").days_since(day("2024-02-28")), 2);
        assert_eq!(day("2021-07-25").plus_days(-11), Some(day("2021-07-14")));
        assert_eq!(day("2020-12-31").plus_days(1), Some(day("2021-01-01")));
        assert_eq!(day("0001-01-01").plus_days(-1), None);
        assert_eq!(day("2021-07-25").weekday(), Weekday::Sunday);
        assert_eq!(day("2021-01-10").weekday(), Weekday::Sunday);
        for number in -800_000..800_000 {
            if let Some(date) = Date::from_day_number(number) {
                assert_eq!(date.day_number(), number, "{date}");
            }
        }
    }
}
