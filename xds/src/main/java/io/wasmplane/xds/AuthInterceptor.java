package io.wasmplane.xds;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every call on the xDS port before it reaches a service: a refused caller gets
 * {@code UNAUTHENTICATED} (or the authenticator's code) and a message that says why; an admitted
 * one runs with its {@link ProxyCaller} in the gRPC context.
 */
final class AuthInterceptor implements ServerInterceptor {
  /** The authenticated caller of the current call. */
  static final Context.Key<ProxyCaller> CALLER = Context.key("wasmplane-caller");

  private static final Logger LOG = LoggerFactory.getLogger(AuthInterceptor.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ProxyAuthenticator authenticator;

  AuthInterceptor(ProxyAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    CallerCredentials credentials =
        new CallerCredentials(
            headers.get(AUTHORIZATION),
            certificates(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)),
            address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
    ProxyCaller caller;
    try {
      caller = authenticator.authenticate(credentials);
    } catch (ProxyAuthenticator.AuthFailure e) {
      LOG.warn("refused xDS caller {}: {}", credentials.peer(), e.getMessage());
      call.close(Status.fromCode(e.code()).withDescription(e.getMessage()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
  }

  private static List<X509Certificate> certificates(SSLSession session) {
    List<X509Certificate> chain = new ArrayList<>();
    if (session == null) {
      return chain;
    }
    try {
      for (Certificate certificate : session.getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
    } catch (SSLPeerUnverifiedException e) {
      chain.clear();
    }
    return chain;
  }

  private static InetAddress address(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
