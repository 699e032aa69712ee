package io.wasmplane.xds;

/**
 * Where one ECDS resource stands on one stream: the version last sent and what the proxy did with
 * it. A proxy that misses a {@code remote} module in its code cache rejects the resource and
 * fetches the module in the background; that rejection is part of delivery, not a verdict, so the
 * resource is {@link State#LOADING} until a resend (different in bytes) finds the module cached.
 */
final class EcdsDelivery {
  /** How many cache misses after a completed download still count as delivery, not rejection. */
  static final int MISSES_AFTER_DOWNLOAD = 3;

  /** What the module server saw of the proxy's download of this resource's module. */
  enum Download {
    STARTED,
    FINISHED,
    BROKE_OFF
  }

  /** What the proxy did with the last version sent. */
  enum State {
    /** Sent, not yet answered. */
    SENT,
    /** Accepted. */
    ACKED,
    /** Rejected because the module is not in the proxy's code cache yet; a resend follows. */
    LOADING,
    /** Rejected for another reason; it stays rejected until the version changes. */
    REJECTED
  }

  final String version;
  final String digest;
  int attempt = 1;
  State state = State.SENT;
  boolean downloaded;
  boolean downloading;
  int missesAfterDownload;
  int waits;
  java.util.concurrent.Future<?> retry;

  /**
   * @param version the resource's content version
   * @param digest the sha256 of the {@code remote} module the proxy must fetch, or null
   */
  EcdsDelivery(String version, String digest) {
    this.version = version;
    this.digest = digest;
  }

  /** Whether a rejection with {@code message} means the proxy is still fetching the module. */
  boolean isCacheMiss(String message) {
    return digest != null
        && message != null
        && message.contains("Unable to create Wasm")
        && (!downloaded || missesAfterDownload < MISSES_AFTER_DOWNLOAD);
  }

  /**
   * Records a cache miss and says how long to wait before resending: after a finished download,
   * {@link #afterDownload()}; else, if the download's end is not seen, long while the download is
   * seen running, else 10 s doubling up to 60 s. A download not seen may wait in a busy module
   * server's queue, or go to another replica; a resend while it runs would start a second one, and
   * Envoy remembers a failed fetch for 10 s anyway.
   */
  long missed() {
    state = State.LOADING;
    if (downloaded) {
      missesAfterDownload++;
      return afterDownload();
    }
    return downloading ? 120_000L : unseenDownloadWait();
  }

  /**
   * Records that the response carrying this version was never answered, and says when to send it
   * again: soon when no module download is involved, else as after a cache miss.
   */
  long unanswered() {
    state = State.LOADING;
    if (digest == null || downloaded) {
      return afterDownload();
    }
    return downloading ? 120_000L : unseenDownloadWait();
  }

  /** The next wait for a download that was never seen to start: 10 s doubling up to 60 s. */
  long unseenDownloadWait() {
    waits++;
    return Math.min(60_000L, 10_000L << Math.min(waits - 1, 3));
  }

  /**
   * How long after a finished download to resend: the last bytes may still be on their way to the
   * proxy, so each further miss waits longer.
   */
  long afterDownload() {
    return switch (missesAfterDownload) {
      case 0 -> 500L;
      case 1 -> 2_000L;
      default -> 5_000L;
    };
  }

  /**
   * Whether the proxy is still fetching module {@code digest} for this resource: sending another
   * version that needs it would start a second download, so it waits for the resend.
   */
  boolean fetches(String digest) {
    return state == State.LOADING
        && !downloaded
        && this.digest != null
        && this.digest.equals(digest);
  }

  /**
   * Records how the proxy's download of this module goes. Says when to resend, or -1 when nothing
   * waits on it.
   */
  long download(Download event) {
    downloading = event == Download.STARTED;
    downloaded = event == Download.FINISHED;
    if (state != State.LOADING) {
      return -1;
    }
    if (downloaded) {
      return afterDownload();
    }
    // Running: wait for its end. Broken off: Envoy remembers a failed fetch for 10 s.
    return downloading ? 120_000L : 10_000L;
  }

  void cancelRetry() {
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
  }
}
