/// The one place SpeakUp's version is written: `speakup --version` prints it.
public enum SpeakUpVersion {
    public static let number = "0.5.0"
}
