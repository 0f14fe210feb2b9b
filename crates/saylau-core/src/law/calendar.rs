//! An election's calendar: its deadlines as days before or after election day, the periods
//! between them (nomination, registration, campaign, silence, count, appeals), and the
//! schedule they give for one election day.
//!
//! The Constitutional Law «On Elections» counts most deadlines back from election day
//! («не позднее чем за N дней до дня выборов»): the call of an election, the end of
//! nomination and of registration (at 18:00 local time), the start of the campaign (the
//! end of registration, art. 27 p. 1) and its end (00:00 of the day before election day:
//! the day of silence), and forward from it for the count, the results and appeals. A
//! [`Calendar`] holds them as data, each with the article or source it rests on, so that
//! the law as it stood in 2021 and a proposal can be laid side by side; [`schedule`] dates
//! them for an election day and measures every period in days, reporting a period shorter
//! than the minimum a recommendation asks for.
//!
//! The seed (section «Агитация» of the rural akim chapter) counts 40 days for a whole akim
//! election and under two weeks of campaign after registration: the bundled calendars
//! reproduce both from the dates of 2021.

use std::collections::HashMap;

use serde::Serialize;

use crate::law::date::{Date, Weekday};

/// A deadline or event of an election, at a whole number of days from election day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Identifier, unique in the calendar (`call`, `registration-end`).
    pub id: String,
    /// The name for people.
    pub name: String,
    /// Days from election day: negative before it, 0 on it, positive after it.
    pub offset: i32,
    /// The time of day when the law gives one, as written (`18:00`).
    pub time: Option<String>,
    /// The article or source it rests on.
    pub article: String,
}

/// A period between two events of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// Identifier, unique among the periods.
    pub id: String,
    /// The name for people.
    pub name: String,
    /// The event that opens it.
    pub from: String,
    /// The event that closes it.
    pub to: String,
    /// The article or source it rests on.
    pub article: String,
    /// The least length in days a recommendation asks for, if any.
    pub minimum: Option<Minimum>,
}

/// The least length of a period and the recommendation or article that asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Minimum {
    /// Days.
    pub days: u32,
    /// Where it comes from.
    pub source: String,
}

/// A validated calendar: unique ids, periods between known events and in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Calendar {
    events: Vec<Event>,
    periods: Vec<Period>,
}

/// Why a set of events and periods is not a calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// No events at all.
    #[error("a calendar needs at least one event")]
    NoEvents,
    /// Two events or two periods with one id.
    #[error("{0:?} is used twice")]
    DuplicateId(String),
    /// A period names an event the calendar does not have.
    #[error("period {period}: no event {event:?}")]
    UnknownEvent {
        /// The period.
        period: String,
        /// The missing event.
        event: String,
    },
    /// A period that ends before it starts.
    #[error(
        "period {period}: {to} ({to_offset:+} days) comes before {from} ({from_offset:+} days)"
    )]
    Backwards {
        /// The period.
        period: String,
        /// Its opening event.
        from: String,
        /// Its offset.
        from_offset: i32,
        /// Its closing event.
        to: String,
        /// Its offset.
        to_offset: i32,
    },
}

impl Calendar {
    /// Checks that ids are unique and every period runs forward between known events.
    pub fn new(events: Vec<Event>, periods: Vec<Period>) -> Result<Calendar, CalendarError> {
        if events.is_empty() {
            return Err(CalendarError::NoEvents);
        }
        let mut offsets: HashMap<&str, i32> = HashMap::with_capacity(events.len());
        for event in &events {
            if offsets.insert(&event.id, event.offset).is_some() {
                return Err(CalendarError::DuplicateId(event.id.clone()));
            }
        }
        let mut period_ids: Vec<&str> = Vec::with_capacity(periods.len());
        for period in &periods {
            if period_ids.contains(&period.id.as_str()) {
                return Err(CalendarError::DuplicateId(period.id.clone()));
            }
            period_ids.push(&period.id);
            let offset = |event: &str| {
                offsets.get(event).copied().ok_or_else(|| CalendarError::UnknownEvent {
                    period: period.id.clone(),
                    event: event.to_owned(),
                })
            };
            let (from_offset, to_offset) = (offset(&period.from)?, offset(&period.to)?);
            if to_offset < from_offset {
                return Err(CalendarError::Backwards {
                    period: period.id.clone(),
                    from: period.from.clone(),
                    from_offset,
                    to: period.to.clone(),
                    to_offset,
                });
            }
        }
        Ok(Calendar { events, periods })
    }

    /// The events, in the order given.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The periods, in the order given.
    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    fn event(&self, id: &str) -> &Event {
        self.events.iter().find(|event| event.id == id).expect("Calendar::new checked the ids")
    }
}

/// An event on its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatedEvent {
    /// The event.
    #[serde(flatten)]
    pub event: Event,
    /// Its date.
    pub date: Date,
    /// Its day of the week.
    pub weekday: Weekday,
}

/// A period with its dates and length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatedPeriod {
    /// The period.
    #[serde(flatten)]
    pub period: Period,
    /// The date of its opening event.
    pub start: Date,
    /// The date of its closing event.
    pub end: Date,
    /// Calendar days from start to end (14 July 18:00 to 24 July 00:00 is 10).
    pub days: u32,
    /// Days short of the minimum, when it is shorter.
    pub short_by: Option<u32>,
}

/// A calendar dated for one election day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// Election day.
    pub election_day: Date,
    /// The events, earliest first (ties in the calendar's order).
    pub events: Vec<DatedEvent>,
    /// The periods, in the calendar's order.
    pub periods: Vec<DatedPeriod>,
}

/// The election day is too close to the ends of the calendar (years 1 to 9999) for an
/// event's offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event {event}: {offset:+} days from {election_day} is outside the years 1 to 9999")]
pub struct OutOfCalendar {
    /// The event.
    pub event: String,
    /// Its offset.
    pub offset: i32,
    /// The election day.
    pub election_day: Date,
}

/// The schedule of `calendar` for `election_day`.
pub fn schedule(calendar: &Calendar, election_day: Date) -> Result<Schedule, OutOfCalendar> {
    let date_of = |event: &Event| {
        election_day.plus_days(i64::from(event.offset)).ok_or_else(|| OutOfCalendar {
            event: event.id.clone(),
            offset: event.offset,
            election_day,
        })
    };
    let mut events = Vec::with_capacity(calendar.events.len());
    for event in &calendar.events {
        let date = date_of(event)?;
        events.push(DatedEvent { event: event.clone(), date, weekday: date.weekday() });
    }
    events.sort_by_key(|dated| dated.event.offset);
    let mut periods = Vec::with_capacity(calendar.periods.len());
    for period in &calendar.periods {
        let (from, to) = (calendar.event(&period.from), calendar.event(&period.to));
        let (start, end) = (date_of(from)?, date_of(to)?);
        let days = u32::try_from(end.days_since(start)).expect("Calendar::new checked the order");
        let short_by = period
            .minimum
            .as_ref()
            .and_then(|minimum| minimum.days.checked_sub(days).filter(|short| *short > 0));
        periods.push(DatedPeriod { period: period.clone(), start, end, days, short_by });
    }
    Ok(Schedule { election_day, events, periods })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str, offset: i32) -> Event {
        Event {
            id: id.to_owned(),
            name: id.to_owned(),
            offset,
            time: None,
            article: "art. 27".to_owned(),
        }
    }

    fn period(id: &str, from: &str, to: &str, minimum: Option<u32>) -> Period {
        Period {
            id: id.to_owned(),
            name: id.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            article: "art. 27".to_owned(),
            minimum: minimum.map(|days| Minimum { days, source: "rec. 19".to_owned() }),
        }
    }

    /// The events and periods; the schedule for `day` as `id date` and `id days short`
    /// lines, or the error.
    fn check(events: Vec<Event>, periods: Vec<Period>, day: &str, expect: &str) {
        let day = Date::parse(day).expect("a date");
        let res = Calendar::new(events, periods)
            .map_err(|err| err.to_string())
            .and_then(|calendar| schedule(&calendar, day).map_err(|err| err.to_string()));
        let res = match res {
            Ok(schedule) => {
                let mut lines: Vec<String> = schedule
                    .events
                    .iter()
                    .map(|dated| {
                        format!("{} {} {}", dated.event.id, dated.date, dated.weekday.short())
                    })
                    .collect();
                lines.extend(schedule.periods.iter().map(|dated| {
                    format!("{} {} {:?}", dated.period.id, dated.days, dated.short_by)
                }));
                lines.join("\n")
            }
            Err(err) => err,
        };
        assert_eq!(res, expect);
    }

    #[test]
    fn the_akim_campaign_of_2021_lasted_ten_days() {
        check(
            vec![
                event("election", 0),
                event("silence", -1),
                event("call", -40),
                event("registration-end", -11),
            ],
            vec![period("campaign", "registration-end", "silence", Some(14))],
            "2021-07-25",
            "call 2021-06-15 Tue\nregistration-end 2021-07-14 Wed\nsilence 2021-07-24 Sat\n\
             election 2021-07-25 Sun\ncampaign 10 Some(4)",
        );
    }

    #[test]
    fn a_long_enough_period_is_not_short() {
        check(
            vec![event("registration-end", -31), event("silence", -1)],
            vec![period("campaign", "registration-end", "silence", Some(14))],
            "2021-01-10",
            "registration-end 2020-12-10 Thu\nsilence 2021-01-09 Sat\ncampaign 30 None",
        );
    }

    #[test]
    fn bad_calendars_are_refused() {
        check(vec![], vec![], "2021-07-25", "a calendar needs at least one event");
        check(
            vec![event("call", -40), event("call", -30)],
            vec![],
            "2021-07-25",
            r#""call" is used twice"#,
        );
        check(
            vec![event("call", -40)],
            vec![period("campaign", "call", "silence", None)],
            "2021-07-25",
            r#"period campaign: no event "silence""#,
        );
        check(
            vec![event("call", -40), event("silence", -1)],
            vec![period("campaign", "silence", "call", None)],
            "2021-07-25",
            "period campaign: call (-40 days) comes before silence (-1 days)",
        );
        check(
            vec![event("call", -40)],
            vec![],
            "0001-01-10",
            "event call: -40 days from 0001-01-10 is outside the years 1 to 9999",
        );
    }
}
