import ArgumentParser
import Configuration

extension ArgumentHelp {
    /// The help of the flag that sets configuration `key`, from the settings table (summary, variable, default).
    static func setting(_ key: String, valueName: String? = nil) -> ArgumentHelp {
        guard let setting = ServiceConfiguration.setting(named: key) else {
            preconditionFailure("no configuration key \(key): every flag must name a row of the settings table")
        }
        return ArgumentHelp(setting.flagHelp, valueName: valueName)
    }
}
