import Foundation
import SkiffAPI

/// core/v1 Events as upstream's printEvent shows them (1.32): LAST SEEN TYPE REASON
/// OBJECT MESSAGE, and when wide the subobject, source, first seen, count and name.
/// Events written through events.k8s.io carry eventTime and series instead of the
/// legacy timestamps and count; both kinds print alike.
enum EventTable {
    static let printer = TablePrinter(
        Event.self,
        columns: [
            Column.string("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
            Column.string("Type", "Type of this event (Normal, Warning)."),
            Column.string("Reason", "This should be a short, machine understandable string that gives the reason "
                + "for the transition into the object's current status."),
            Column.string("Object", "The object that this event is about."),
            Column.string("Subobject", "The part of the object the event is about, e.g. a container.", priority: 1),
            Column.string("Source", "The component reporting this event.", priority: 1),
            Column.string("Message", "A human-readable description of the status of this operation."),
            Column.string("First Seen", "The time at which the event was first recorded.", priority: 1),
            Column.string("Count", "The number of times this event has occurred.", priority: 1),
            TableColumnDefinition(
                name: "Name", type: "string", format: "name", description: Column.name.description, priority: 1),
        ]
    ) { event, now in
        let firstSeen = event.firstTimestamp.map { HumanDuration.since($0, now: now) }
            ?? HumanDuration.since(event.eventTime, now: now)
        var lastSeen = event.lastTimestamp.map { HumanDuration.since($0, now: now) } ?? firstSeen
        var count = event.count ?? 0
        if let series = event.series {
            lastSeen = HumanDuration.since(series.lastObservedTime, now: now)
            count = series.count ?? 0
        } else if count == 0 {
            // Singleton events of the events.k8s.io API have no count.
            count = 1
        }
        return [
            .string(lastSeen),
            .string(event.type ?? ""),
            .string(event.reason ?? ""),
            .string(involvedObject(event.involvedObject)),
            .string(event.involvedObject.fieldPath ?? ""),
            .string(source(event)),
            .string((event.message ?? "").trimmingCharacters(in: .whitespacesAndNewlines)),
            .string(firstSeen),
            .integer(count),
            .string(event.metadata.name ?? ""),
        ]
    }

    /// "pod/web", the lower-cased kind and the name.
    private static func involvedObject(_ reference: ObjectReference) -> String {
        let kind = (reference.kind ?? "").lowercased()
        guard let name = reference.name, !name.isEmpty else { return kind }
        return "\(kind)/\(name)"
    }

    /// formatEventSource: component (or reporting controller), then ", host" (or
    /// reporting instance) when there is one.
    private static func source(_ event: Event) -> String {
        let component = TableFormatting.nonEmpty(event.source.component, or: event.reportingComponent)
        let instance = TableFormatting.nonEmpty(event.source.host, or: event.reportingInstance)
        return instance.isEmpty ? component : "\(component), \(instance)"
    }
}
