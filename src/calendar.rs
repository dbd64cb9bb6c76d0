//! Calendar time for exports: a preset's start (ISO 8601, UTC) plus simulated minutes, written
//! back as ISO 8601. Only the proleptic Gregorian arithmetic this needs, without a date crate.

/// Days since 1970-01-01 of the civil date `y`-`m`-`d` (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of `z` days since 1970-01-01 (`civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Minutes since 1970-01-01T00:00Z of `iso` ("YYYY-MM-DDTHH:MM", seconds and zone ignored), or
/// `None` if it does not read as one.
fn epoch_minutes(iso: &str) -> Option<i64> {
    let field = |from: usize, to: usize| iso.get(from..to)?.parse::<i64>().ok();
    let (y, m, d) = (field(0, 4)?, field(5, 7)?, field(8, 10)?);
    let (h, min) = (field(11, 13)?, field(14, 16)?);
    Some(days_from_civil(y, m, d) * 1440 + h * 60 + min)
}

/// `minutes` after the start `starts_at` (ISO 8601, UTC), as "YYYY-MM-DDTHH:MMZ"; empty if the
/// start does not read as a date.
pub fn utc_after(starts_at: &str, minutes: u32) -> String {
    let Some(start) = epoch_minutes(starts_at) else {
        return String::new();
    };
    let t = start + i64::from(minutes);
    let (y, m, d) = civil_from_days(t.div_euclid(1440));
    let in_day = t.rem_euclid(1440);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}Z",
        in_day / 60,
        in_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_after_a_start_cross_days_months_and_years() {
        assert_eq!(utc_after("2007-08-16T00:00:00Z", 0), "2007-08-16T00:00Z");
        assert_eq!(utc_after("2007-08-16T00:00:00Z", 400), "2007-08-16T06:40Z");
        assert_eq!(
            utc_after("2007-08-16T00:00:00Z", 4 * 1440 - 1),
            "2007-08-19T23:59Z"
        );
        assert_eq!(
            utc_after("2010-12-22T00:00:00Z", 10 * 1440),
            "2011-01-01T00:00Z"
        );
        assert_eq!(
            utc_after("2008-02-28T12:00:00Z", 1440),
            "2008-02-29T12:00Z",
            "a leap day"
        );
        assert_eq!(utc_after("2007-02-28T12:00:00Z", 1440), "2007-03-01T12:00Z");
    }

    #[test]
    fn a_start_that_is_no_date_gives_an_empty_time() {
        assert_eq!(utc_after("", 5), "");
        assert_eq!(utc_after("soon", 5), "");
    }

    #[test]
    fn days_and_dates_agree_both_ways_over_centuries() {
        for z in (-200_000..200_000).step_by(997) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }
}
