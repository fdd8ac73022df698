/// The release, as `streetgate --version` prints it and the uplink's `status` reports it.
public enum StreetGateVersion {
    public static let current = "0.1.0"
}
