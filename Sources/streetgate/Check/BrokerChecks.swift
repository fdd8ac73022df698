import GatewayCore
import GatewayDaemon

/// Turns what a connection attempt found into a check line and what to do about it.
enum BrokerChecks {
    static func result(source: SourceConfig, index: Int, probe: BrokerProbe) -> CheckResult {
        let topics = source.topics.map(\.pattern).joined(separator: ", ")
        return result(
            item: "source \(source.name)", key: "source[\(index)]", url: source.url, username: source.username,
            ready: "subscribed to \(topics)", probe: probe
        )
    }

    static func result(hub: HubConfig, index: Int, probe: BrokerProbe) -> CheckResult {
        result(
            item: "hub \(hub.name)", key: "hub[\(index)]", url: hub.url, username: hub.username,
            ready: "nothing published", probe: probe
        )
    }

    private static func result(
        item: String, key: String, url: BrokerURL, username: String?, ready: String, probe: BrokerProbe
    ) -> CheckResult {
        let place = "\(url)"
        switch probe.outcome {
        case .ready:
            let security = probe.tls ? "TLS verified" : "plain MQTT, not encrypted"
            return .pass(item, "\(place): connected (\(security)), \(ready)")
        case .refused(let reason):
            return .fail(item, "\(place): the broker refused the connection: \(reason)",
                         next: "check \(key).username and \(key).password_file against the broker's users")
        case .subscriptionRefused(let filter):
            let user = username.map { "user \"\($0)\"" } ?? "anonymous clients"
            return .fail(item, "\(place): subscribe refused for \(filter)",
                         next: "allow \(user) to read \(filter) in the broker's ACL, or change \(key).topics")
        case .unreachable(let reason):
            if probe.tls, let diagnosis = probe.tlsDiagnosis {
                return .fail(item, "\(place): TLS: \(diagnosis)",
                             next: "check \(key).ca_file (the CA that signed the broker's certificate), the host name in \(key).url, and the clock")
            }
            return .fail(item, "\(place): cannot connect: \(reason)",
                         next: "check that the broker runs and that \(url.host):\(url.port) is reachable from here (\(key).url, firewall)")
        case .lost(let reason):
            return .fail(item, "\(place): the broker closed the connection: \(reason)",
                         next: "look in the broker's log for client \(probe.clientID)")
        case .timedOut:
            return .fail(item, "\(place): no answer in time",
                         next: "check \(key).url and the network between here and \(url.host)")
        case .notTried(let reason):
            return .fail(item, reason, next: "make \(key).password_file readable by the user that runs streetgate")
        }
    }
}
