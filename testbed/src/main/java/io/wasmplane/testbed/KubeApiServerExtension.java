package io.wasmplane.testbed;

import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one real kube-apiserver (with etcd) shared by the whole test run.
 *
 * <p>Use {@code @ExtendWith(KubeApiServerExtension.class)} and take a {@link KubeApiServer}
 * parameter. Tests keep apart by namespace. When a test fails, the apiserver's log tail is printed.
 */
public final class KubeApiServerExtension implements ParameterResolver, AfterTestExecutionCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KubeApiServerExtension.class);

  /** The run-wide apiserver, started on first use. */
  public static KubeApiServer shared(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent("apiserver", k -> KubeApiServer.start(), KubeApiServer.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KubeApiServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      KubeApiServer server =
          context.getRoot().getStore(NAMESPACE).get("apiserver", KubeApiServer.class);
      if (server != null) {
        System.err.println(server.logTail(60));
      }
    }
  }
}
