package jaglets.api;

/** Usage of one class's persistent storage; {@code quotaBytes} is {@code -1} when unlimited. */
public record StorageStatus(String root, long usedBytes, long quotaBytes, long availableBytes) {
}
