/// The version Syncline reports in `/health` and `--version`, kept in one place so they never disagree.
public enum SynclineVersion {
    public static let current = "0.1.0"
}
