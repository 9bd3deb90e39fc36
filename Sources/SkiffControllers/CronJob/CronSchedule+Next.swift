import Foundation

extension CronSchedule {
    /// The first activation strictly after `date`, in wall-clock time of `timeZone`
    /// (robfig/cron SpecSchedule.Next): fields are advanced from months down to
    /// seconds, each overflow starting over from the top, and nothing is found
    /// more than five years ahead (`0 0 30 2 *`), which gives nil.
    ///
    /// Around daylight saving changes the wall clock decides: a time skipped by
    /// the spring change does not fire that day, and day steps stay at midnight.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        let start = date.timeIntervalSince1970.rounded(.down) + 1
        switch kind {
        case .every(let seconds):
            return Date(timeIntervalSince1970: start - 1 + Double(seconds))
        case .fields(let fields):
            return Self.next(fields, from: Date(timeIntervalSince1970: start), timeZone)
        }
    }

    private static func next(_ fields: Fields, from start: Date, _ timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        func parts(_ date: Date) -> DateComponents {
            calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        }
        func wallClock(_ p: DateComponents, hour: Int = 0) -> Date {
            calendar.date(from: DateComponents(year: p.year, month: p.month, day: p.day, hour: hour, minute: 0, second: 0))!
        }
        func dayMatches(_ p: DateComponents) -> Bool {
            let dom = fields.daysOfMonth.contains(p.day!)
            let dow = fields.daysOfWeek.contains(p.weekday! - 1)
            return fields.dayFieldStarred ? dom && dow : dom || dow
        }
        var t = start
        var added = false
        let yearLimit = parts(t).year! + 5
        wrap: while true {
            var p = parts(t)
            if p.year! > yearLimit { return nil }
            while !fields.months.contains(p.month!) {
                if !added {
                    added = true
                    t = calendar.date(from: DateComponents(year: p.year, month: p.month, day: 1))!
                }
                t = calendar.date(byAdding: .month, value: 1, to: t)!
                p = parts(t)
                if p.month == 1 { continue wrap }
            }
            while !dayMatches(p) {
                if !added {
                    added = true
                    t = wallClock(p)
                }
                t = calendar.date(byAdding: .day, value: 1, to: t)!
                // A day that starts at 01:00 or 23:00 because of a DST change: back to its midnight.
                let hour = parts(t).hour!
                if hour != 0 { t = t.addingTimeInterval(Double(hour > 12 ? 24 - hour : -hour) * 3600) }
                p = parts(t)
                if p.day == 1 { continue wrap }
            }
            while !fields.hours.contains(p.hour!) {
                if !added {
                    added = true
                    t = wallClock(p, hour: p.hour!)
                }
                t = t.addingTimeInterval(3600)
                p = parts(t)
                if p.hour == 0 { continue wrap }
            }
            while !fields.minutes.contains(p.minute!) {
                if !added {
                    added = true
                    t = Date(timeIntervalSince1970: (t.timeIntervalSince1970 / 60).rounded(.down) * 60)
                }
                t = t.addingTimeInterval(60)
                p = parts(t)
                if p.minute == 0 { continue wrap }
            }
            while p.second != 0 {
                if !added {
                    added = true
                    t = Date(timeIntervalSince1970: t.timeIntervalSince1970.rounded(.down))
                }
                t = t.addingTimeInterval(1)
                p = parts(t)
                if p.second == 0 { continue wrap }
            }
            return t
        }
    }
}
