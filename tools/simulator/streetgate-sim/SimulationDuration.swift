/// A duration option as typed (`5s`), kept with its text so the start line shows it as given.
struct SimulationDuration: CustomStringConvertible, Sendable {
    let text: String
    let milliseconds: Int64

    var description: String { text }
}
