extension GatewaySettings {
    /// Reads `[gateway]`; a missing or bad `id` leaves an empty one, already reported.
    static func read(_ table: TableReader, environment: [String: String]) -> GatewaySettings {
        var table = table
        var settings = GatewaySettings(
            id: table.required("id", .name) ?? "", dataDir: defaultDataDir(environment: environment))
        table.read("data_dir", .nonEmpty("a folder path"), into: &settings.dataDir)
        table.read("timezone", timezoneName, into: &settings.timezone)
        table.read("log_level", .oneOf(LogLevel.self), into: &settings.logLevel)
        table.finish()
        return settings
    }

    /// Only the shape: whether the zone exists is the daemon's to check, on the system it runs on.
    private static var timezoneName: ValueSpec<String> {
        .string("an IANA time zone name like \"Africa/Casablanca\"") { name in
            name.isEmpty || name.contains(where: \.isWhitespace) ? nil : name
        }
    }
}
