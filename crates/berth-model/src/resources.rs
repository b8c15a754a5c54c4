//! Parsing of task-level resource strings: CPU as units or vCPUs
//! (`"1024"`, `"1 vCPU"`, `".25 vcpu"`) and memory as MiB or GB
//! (`"2048"`, `"2GB"`, `"0.5 GB"`). 1 vCPU is 1024 units, 1 GB is 1024 MiB.

/// CPU units in one vCPU.
pub const UNITS_PER_VCPU: u64 = 1024;
/// MiB in one GB, as ECS counts it.
pub const MIB_PER_GB: u64 = 1024;

/// Parses task `cpu` into CPU units; `None` when the text is not a number of
/// units or vCPUs, or the vCPU count is not a whole number of units.
pub fn parse_cpu_units(text: &str) -> Option<u32> {
    parse_scaled(text, "vcpu", UNITS_PER_VCPU)
}

/// Parses task `memory` into MiB; `None` when the text is not a number of
/// MiB or GB, or the GB count is not a whole number of MiB.
pub fn parse_memory_mib(text: &str) -> Option<u32> {
    parse_scaled(text, "gb", MIB_PER_GB)
}

/// A plain integer, or a decimal followed by `unit` (any case, optional
/// space) which is multiplied by `scale`.
fn parse_scaled(text: &str, unit: &str, scale: u64) -> Option<u32> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<u32>().ok();
    }
    let split_at = text.len().checked_sub(unit.len())?;
    let (number, suffix) = (text.get(..split_at)?, text.get(split_at..)?);
    if !suffix.eq_ignore_ascii_case(unit) {
        return None;
    }
    let value = scale_decimal(number.trim_end(), scale)?;
    u32::try_from(value).ok()
}

/// `number * scale` for a decimal like `0.25`, `.5` or `2`, when exact.
fn scale_decimal(number: &str, scale: u64) -> Option<u64> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    // Nine fraction digits are far beyond any meaningful size and keep
    // the arithmetic inside u64.
    if whole.len() > 9 || fraction.len() > 9 {
        return None;
    }
    if !whole
        .bytes()
        .chain(fraction.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let denominator = 10u64.pow(fraction.len() as u32);
    let whole_value: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction_value: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    let numerator = (whole_value * denominator + fraction_value).checked_mul(scale)?;
    (numerator % denominator == 0).then_some(numerator / denominator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cpu() {
        let check = |text: &str, expected: Option<u32>| {
            assert_eq!(parse_cpu_units(text), expected, "{text:?}");
        };
        check("1024", Some(1024));
        check(" 256 ", Some(256));
        check("1 vCPU", Some(1024));
        check("2 vcpu", Some(2048));
        check("1vCPU", Some(1024));
        check(".25 vCPU", Some(256));
        check("0.5 VCPU", Some(512));
        check("0.0001 vCPU", None);
        check("1.5", None);
        check("-1", None);
        check("", None);
        check("vCPU", None);
        check(". vCPU", None);
        check("1 GB", None);
        check("99999999999", None);
        check("5000000 vCPU", None);
    }

    #[test]
    fn parses_memory() {
        let check = |text: &str, expected: Option<u32>| {
            assert_eq!(parse_memory_mib(text), expected, "{text:?}");
        };
        check("512", Some(512));
        check("2GB", Some(2048));
        check("2 GB", Some(2048));
        check("0.5gb", Some(512));
        check("1.5 GB", Some(1536));
        check("1 MB", None);
        check("GB", None);
        check("1e3", None);
        check("１GB", None);
    }
}
