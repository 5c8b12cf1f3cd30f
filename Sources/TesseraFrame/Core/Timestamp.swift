// ISO 8601 timestamps as microseconds since the Unix epoch (UTC), parsed straight from bytes.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
@inlinable
func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (m + 9) % 12
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
}

/// The (year, month, day) of a day count since 1970-01-01.
func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
}

/// The number of days of month `m` (1...12) of proleptic Gregorian year `y`.
@inlinable
func daysInMonth(_ y: Int, _ m: Int) -> Int {
    if m == 2 { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28 }
    return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31
}

/// Parses `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS[.fraction]]`, and
/// optionally a zone `Z`, `±HH:MM`, `±HHMM` or `±HH`; returns microseconds since the epoch in UTC
/// (a time with a zone offset is converted to UTC; one without a zone is taken as UTC), or nil
/// when the text isn't such a timestamp. Dates and times that don't exist (February 30th,
/// 23:59:60, 24:00, an offset of 24 hours or more) are not timestamps. The precision is one
/// microsecond: digits of the fraction beyond the sixth are dropped (truncated, not rounded).
@inlinable
func parseTimestamp(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
    var i = 0
    @inline(__always) func digits(_ k: Int) -> Int? {
        guard i + k <= n else { return nil }
        var v = 0
        for j in 0..<k {
            let d = Int(p[i + j]) &- 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v * 10 + d
        }
        i += k
        return v
    }
    @inline(__always) func expect(_ c: UInt8) -> Bool {
        guard i < n, p[i] == c else { return false }
        i += 1
        return true
    }
    guard let y = digits(4), expect(45), let mo = digits(2), expect(45), let d = digits(2) else { return nil }
    // Dates that don't exist (2020-02-30, 2019-02-29) are not timestamps: never rolled over.
    guard mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) else { return nil }
    var micros = 0
    if i < n && (p[i] == 84 || p[i] == 32) {  // 'T' or ' '
        i += 1
        guard let h = digits(2), expect(58), let mi = digits(2), h < 24, mi < 60 else { return nil }
        var s = 0
        if expect(58) {
            // No leap seconds (23:59:60), as pandas and POSIX time.
            guard let ss = digits(2), ss < 60 else { return nil }
            s = ss
            if i < n && (p[i] == 46 || p[i] == 44) {  // fraction
                i += 1
                var frac = 0, scale = 100_000, any = false
                while i < n, p[i] >= 48 && p[i] <= 57 {
                    if scale > 0 { frac += Int(p[i] - 48) * scale; scale /= 10 }
                    i += 1
                    any = true
                }
                guard any else { return nil }
                micros = frac
            }
        }
        micros += (h * 3600 + mi * 60 + s) * 1_000_000
        if i < n {
            if p[i] == 90 { i += 1 }  // 'Z'
            else if p[i] == 43 || p[i] == 45 {  // '+' / '-'
                let sign = p[i] == 45 ? -1 : 1
                i += 1
                guard let zh = digits(2), zh < 24 else { return nil }
                var zm = 0
                if i < n {
                    _ = expect(58)
                    guard let m2 = digits(2), m2 < 60 else { return nil }
                    zm = m2
                }
                micros -= sign * (zh * 3600 + zm * 60) * 1_000_000
            }
        }
    }
    guard i == n else { return nil }
    return Int64(daysFromCivil(y, mo, d)) * 86_400_000_000 + Int64(micros)
}

/// Parses an ISO 8601 date or date-time (see `parseTimestamp`); nil when it isn't one.
public func parseTimestamp(_ text: String) -> Int64? {
    var s = text
    return s.withUTF8 { b in b.baseAddress.flatMap { parseTimestamp($0, b.count) } ?? (b.isEmpty ? nil : nil) }
}

/// ISO 8601 text of a timestamp in UTC, as pandas prints it: `2024-01-31` at midnight,
/// `2024-01-31 12:30:00` otherwise, with `.ffffff` when there are microseconds.
public func formatTimestamp(_ t: Int64) -> String {
    let day = Int((t >= 0 ? t : t - 86_399_999_999) / 86_400_000_000)
    let rest = Int(t - Int64(day) * 86_400_000_000)
    let (y, m, d) = civilFromDays(day)
    func pad(_ v: Int, _ w: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: Swift.max(0, w - s.count)) + s
    }
    var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    if rest != 0 {
        let secs = rest / 1_000_000, us = rest % 1_000_000
        out += " \(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))"
        if us != 0 { out += ".\(pad(us, 6))" }
    }
    return out
}
