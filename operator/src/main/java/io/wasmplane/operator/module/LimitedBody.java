package io.wasmplane.operator.module;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body, refusing it as soon as it grows past a limit, so that a huge or endless
 * body costs at most the limit in memory.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
  /** The body outgrew the limit. */
  static final class TooLarge extends IOException {
    TooLarge() {
      super("response body over the size limit");
    }
  }

  private final long max;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private LimitedBody(long max) {
    this.max = max;
  }

  /** A handler whose bodies stop at {@code max} bytes; a larger declared length fails at once. */
  static HttpResponse.BodyHandler<byte[]> handler(long max) {
    return info -> {
      LimitedBody body = new LimitedBody(max);
      if (info.headers().firstValueAsLong("Content-Length").orElse(-1) > max) {
        body.result.completeExceptionally(new TooLarge());
      }
      return body;
    };
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (result.isDone()) {
      subscription.cancel();
    } else {
      subscription.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    for (ByteBuffer item : items) {
      if (result.isDone()) {
        return;
      }
      if (out.size() + (long) item.remaining() > max) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge());
        return;
      }
      byte[] chunk = new byte[item.remaining()];
      item.get(chunk);
      out.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    result.complete(out.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
