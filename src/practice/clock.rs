//! The clock of a timed mock interview.
//!
//! A mock interview stops when its time is up and reports the time spent on
//! each answer, so tests need time that passes predictably. In test mode
//! (`VIVA_TEST_MODE` set), `VIVA_TEST_CLOCK=SECS` replaces the real clock
//! with one that moves only when a line of input is read, by SECS each time,
//! as if the candidate took that long to type or say each line.

use std::cell::Cell;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Time elapsed since the interview started.
#[derive(Debug)]
pub enum Clock {
    Real(Instant),
    /// Elapsed time, and how far each line of input moves it.
    Fake {
        elapsed: Cell<Duration>,
        step: Duration,
    },
}

impl Clock {
    /// The real clock, or the fake one in test mode with `VIVA_TEST_CLOCK`.
    pub fn from_env() -> Result<Clock> {
        let step = match std::env::var("VIVA_TEST_CLOCK") {
            Ok(s) if std::env::var_os("VIVA_TEST_MODE").is_some() => s,
            _ => return Ok(Clock::Real(Instant::now())),
        };
        let secs: u64 = step.trim().parse().map_err(|_| {
            Error::usage(
                format!("VIVA_TEST_CLOCK `{step}` is not a number of seconds"),
                "use e.g. VIVA_TEST_CLOCK=60, or unset it",
            )
        })?;
        Ok(Clock::fake(Duration::from_secs(secs)))
    }

    pub fn fake(step: Duration) -> Clock {
        Clock::Fake {
            elapsed: Cell::new(Duration::ZERO),
            step,
        }
    }

    pub fn elapsed(&self) -> Duration {
        match self {
            Clock::Real(start) => start.elapsed(),
            Clock::Fake { elapsed, .. } => elapsed.get(),
        }
    }

    /// Called after each line of input; moves only the fake clock.
    pub fn line_read(&self) {
        if let Clock::Fake { elapsed, step } = self {
            elapsed.set(elapsed.get() + *step);
        }
    }
}

/// `30m`, `1h`, `90s`, `1h30m`, or a bare number of minutes.
pub fn parse_duration(s: &str) -> std::result::Result<Duration, String> {
    let s = s.trim();
    let bad = || format!("`{s}` is not a duration; use e.g. 30m, 45m, 1h or 1h30m");
    if let Ok(minutes) = s.parse::<u64>() {
        return checked(Duration::from_secs(minutes * 60), s);
    }
    let (mut total, mut number) = (0u64, String::new());
    for c in s.chars() {
        match c {
            '0'..='9' => number.push(c),
            'h' | 'm' | 's' if !number.is_empty() => {
                let n: u64 = number.parse().map_err(|_| bad())?;
                total += n * match c {
                    'h' => 3600,
                    'm' => 60,
                    _ => 1,
                };
                number.clear();
            }
            _ => return Err(bad()),
        }
    }
    if !number.is_empty() || s.is_empty() {
        return Err(bad());
    }
    checked(Duration::from_secs(total), s)
}

fn checked(d: Duration, s: &str) -> std::result::Result<Duration, String> {
    if d.is_zero() || d > Duration::from_secs(8 * 3600) {
        return Err(format!(
            "`{s}`: a mock interview lasts from 1 second to 8 hours"
        ));
    }
    Ok(d)
}

/// `m:ss`, or `h:mm:ss` from an hour up.
pub fn clock_time(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_the_usual_forms() {
        let m = |n: u64| Duration::from_secs(n * 60);
        assert_eq!(parse_duration("30m"), Ok(m(30)));
        assert_eq!(parse_duration("45"), Ok(m(45)));
        assert_eq!(parse_duration("1h30m"), Ok(m(90)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        for bad in ["", "30x", "m", "0m", "10h", "30m5"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_fake_clock_moves_only_on_input() {
        let c = Clock::fake(Duration::from_secs(40));
        assert_eq!(c.elapsed(), Duration::ZERO);
        c.line_read();
        c.line_read();
        assert_eq!(clock_time(c.elapsed()), "1:20");
        assert_eq!(clock_time(Duration::from_secs(3725)), "1:02:05");
    }
}
