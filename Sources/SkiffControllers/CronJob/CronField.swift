/// One field of a cron expression (robfig/cron getField and getRange).
struct CronField {
    enum Bounds {
        case minute, hour, dayOfMonth, month, dayOfWeek

        var range: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...6
            }
        }

        var names: [String: Int] {
            switch self {
            case .month:
                ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
                 "nov": 11, "dec": 12]
            case .dayOfWeek: ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]
            default: [:]
            }
        }
    }

    var values: Set<Int> = []
    /// Some expression of the field was a bare `*` or `?` (a step clears it, as robfig does).
    var starred = false

    static func parse(_ text: String, _ bounds: Bounds) throws(CronSchedule.ParseError) -> CronField {
        var field = CronField()
        for expression in text.split(separator: ",", omittingEmptySubsequences: false) {
            try field.add(String(expression), bounds)
        }
        return field
    }

    private mutating func add(_ expression: String, _ bounds: Bounds) throws(CronSchedule.ParseError) {
        let rangeAndStep = expression.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var start: Int
        var end: Int
        var star = false
        if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
            start = bounds.range.lowerBound
            end = bounds.range.upperBound
            star = true
        } else {
            start = try Self.number(lowAndHigh[0], bounds)
            switch lowAndHigh.count {
            case 1: end = start
            case 2: end = try Self.number(lowAndHigh[1], bounds)
            default: throw .init(description: "too many hyphens: \(expression)")
            }
        }
        var step = 1
        switch rangeAndStep.count {
        case 1: break
        case 2:
            guard let parsed = Int(rangeAndStep[1]), parsed >= 0 else {
                throw .init(description: "failed to parse int from \(rangeAndStep[1])")
            }
            step = parsed
            // `N/step` means `N-max/step`.
            if lowAndHigh.count == 1 { end = bounds.range.upperBound }
            if step > 1 { star = false }
        default: throw .init(description: "too many slashes: \(expression)")
        }
        if start < bounds.range.lowerBound {
            throw .init(description: "beginning of range (\(start)) below minimum (\(bounds.range.lowerBound)): \(expression)")
        }
        if end > bounds.range.upperBound {
            throw .init(description: "end of range (\(end)) above maximum (\(bounds.range.upperBound)): \(expression)")
        }
        if start > end { throw .init(description: "beginning of range (\(start)) beyond end of range (\(end)): \(expression)") }
        if step == 0 { throw .init(description: "step of range should be a positive number: \(expression)") }
        for value in stride(from: start, through: end, by: step) { values.insert(value) }
        if star { starred = true }
    }

    private static func number(_ text: String, _ bounds: Bounds) throws(CronSchedule.ParseError) -> Int {
        if let named = bounds.names[text.lowercased()] { return named }
        guard let value = Int(text) else { throw .init(description: "failed to parse int from \(text)") }
        if value < 0 { throw .init(description: "negative number (\(value)) not allowed: \(text)") }
        return value
    }
}
