//! The `token` query parameter of X's syndication endpoint, computed exactly as the embed widgets
//! compute it in the browser: `((Number(id) / 1e15) * Math.PI).toString(36).replace(/(0+|\.)/g, '')`.
//!
//! The endpoint checks the token, so this must match V8 digit for digit, including the
//! fractional digits of `Number.prototype.toString(36)`. It never touches the network.

use std::f64::consts::PI;

const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// The syndication token for a numeric post id, or `None` when the id is not a decimal number.
pub fn syndication_token(id: &str) -> Option<String> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // `Number(id)`: Rust's float parsing rounds to nearest like JavaScript's.
    let number: f64 = id.parse().ok()?;
    let value = (number / 1e15) * PI;
    let text = to_radix_string(value, 36);
    Some(text.chars().filter(|c| *c != '0' && *c != '.').collect())
}

/// `Number.prototype.toString(radix)` for finite numbers, ported from V8's
/// `DoubleToRadixCString` (src/numbers/conversions.cc): it emits fractional digits only as far
/// as they are significant, using half the gap to the next double as the precision bound, and
/// rounds the last digit (to even on a tie), carrying into earlier digits when needed.
pub fn to_radix_string(value: f64, radix: u32) -> String {
    debug_assert!((2..=36).contains(&radix));
    if value == 0.0 {
        return "0".to_owned();
    }
    if !value.is_finite() {
        return if value.is_nan() {
            "NaN".to_owned()
        } else if value > 0.0 {
            "Infinity".to_owned()
        } else {
            "-Infinity".to_owned()
        };
    }
    let radix_f = f64::from(radix);
    let negative = value < 0.0;
    let value = value.abs();

    let mut integer = value.floor();
    let mut fraction = value - integer;
    // Only produce fractional digits up to the input's own precision.
    let mut delta = (0.5 * (next_double(value) - value)).max(next_double(0.0));

    let mut fraction_digits: Vec<u8> = Vec::new();
    if fraction >= delta {
        loop {
            fraction *= radix_f;
            delta *= radix_f;
            // Truncation is the intent: the digit is the integer part of the shifted fraction.
            let digit = fraction as u32;
            fraction_digits.push(DIGITS[digit as usize]);
            fraction -= f64::from(digit);
            if (fraction > 0.5 || (fraction == 0.5 && digit & 1 == 1)) && fraction + delta > 1.0 {
                // Round up, propagating the carry through the digits already written.
                loop {
                    match fraction_digits.pop() {
                        None => {
                            integer += 1.0;
                            break;
                        }
                        Some(c) => {
                            let d = digit_value(c);
                            if d + 1 < radix {
                                fraction_digits.push(DIGITS[(d + 1) as usize]);
                                break;
                            }
                        }
                    }
                }
                break;
            }
            if fraction < delta {
                break;
            }
        }
    }

    // Integer digits, least significant first. Beyond 2^53 the low digits are not representable
    // and V8 writes zeros for them.
    let mut integer_digits: Vec<u8> = Vec::new();
    while exponent(integer / radix_f) > 0 {
        integer /= radix_f;
        integer_digits.push(b'0');
    }
    loop {
        let remainder = integer % radix_f;
        integer_digits.push(DIGITS[remainder as usize]);
        integer = (integer - remainder) / radix_f;
        if integer <= 0.0 {
            break;
        }
    }

    let mut out = String::with_capacity(integer_digits.len() + fraction_digits.len() + 2);
    if negative {
        out.push('-');
    }
    out.extend(integer_digits.iter().rev().map(|b| *b as char));
    if !fraction_digits.is_empty() {
        out.push('.');
        out.extend(fraction_digits.iter().map(|b| *b as char));
    }
    out
}

fn digit_value(c: u8) -> u32 {
    if c > b'9' {
        u32::from(c - b'a') + 10
    } else {
        u32::from(c - b'0')
    }
}

/// The next representable double above a finite non-negative `value`.
fn next_double(value: f64) -> f64 {
    f64::from_bits(value.to_bits() + 1)
}

/// V8's `Double::Exponent()`: the exponent of the value read as `significand * 2^exponent` with
/// a 53-bit integer significand.
fn exponent(value: f64) -> i32 {
    const SIGNIFICAND_SIZE: i32 = 52;
    const EXPONENT_BIAS: i32 = 0x3FF + SIGNIFICAND_SIZE;
    const DENORMAL_EXPONENT: i32 = -EXPONENT_BIAS + 1;
    let biased = ((value.to_bits() >> SIGNIFICAND_SIZE) & 0x7FF) as i32;
    if biased == 0 {
        DENORMAL_EXPONENT
    } else {
        biased - EXPONENT_BIAS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Pairs {
        pairs: Vec<Pair>,
    }

    #[derive(serde::Deserialize)]
    struct Pair {
        id: String,
        token: String,
    }

    #[test]
    fn every_recorded_id_token_pair_matches() {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/samples/x/syndication-tokens.json"
        ));
        let pairs: Pairs = serde_json::from_str(text).expect("token fixture parses");
        assert!(pairs.pairs.len() >= 50, "{} pairs", pairs.pairs.len());
        let mut wrong = Vec::new();
        for p in &pairs.pairs {
            let got = syndication_token(&p.id);
            if got.as_deref() != Some(p.token.as_str()) {
                wrong.push(format!("{}: want {}, got {:?}", p.id, p.token, got));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn id_20_gives_the_documented_token() {
        assert_eq!(syndication_token("20").as_deref(), Some("6dq1a2xwd93"));
    }

    #[test]
    fn non_numeric_ids_have_no_token() {
        for id in ["", "12a", "-5", "1.5", " 1"] {
            assert_eq!(syndication_token(id), None, "{id:?}");
        }
    }

    #[test]
    fn radix_strings_match_javascript() {
        // Expected strings printed by Node.js (V8) for the same values.
        let cases: [(f64, u32, &str); 13] = [
            (0.5, 2, "0.1"),
            (255.0, 16, "ff"),
            (-255.5, 16, "-ff.8"),
            (0.1, 3, "0.0022002200220022002200220022002201"),
            (35.0, 36, "z"),
            (36.0, 36, "10"),
            (1e21, 36, "5v1j4f4ds7c000"),
            (0.0, 36, "0"),
            (std::f64::consts::PI, 36, "3.53i5ab8p5f"),
            (123.456, 36, "3f.gez4w97ry"),
            (1.0 / 3.0, 7, "0.2222222222222222222"),
            (1e-7, 36, "0.000061oezo085tl"),
            (
                2f64.powi(60),
                2,
                "1000000000000000000000000000000000000000000000000000000000000",
            ),
        ];
        for (value, radix, want) in cases {
            assert_eq!(
                to_radix_string(value, radix),
                want,
                "{value} in base {radix}"
            );
        }
    }
}
