package io.wasmplane.testbed;

import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests real OCI registries shared by the whole test run: an open one, and one behind
 * htpasswd.
 *
 * <p>A plain {@link OciRegistry} parameter gets the open registry; one annotated {@link Htpasswd}
 * gets the authenticated one (user {@value #USER}, password {@value #PASSWORD}). Tests keep apart
 * by repository name.
 */
public final class OciRegistryExtension implements ParameterResolver, AfterTestExecutionCallback {
  public static final String USER = "wasm-puller";
  public static final String PASSWORD = "s3cret-pull";
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(OciRegistryExtension.class);

  /** The run-wide open registry. */
  public static OciRegistry plain(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent("plain", k -> OciRegistry.startPlain(), OciRegistry.class);
  }

  /** The run-wide registry behind htpasswd. */
  public static OciRegistry htpasswd(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(
            "htpasswd", k -> OciRegistry.startWithHtpasswd(USER, PASSWORD), OciRegistry.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == OciRegistry.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.isAnnotated(Htpasswd.class) ? htpasswd(context) : plain(context);
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isEmpty()) {
      return;
    }
    for (String key : new String[] {"plain", "htpasswd"}) {
      OciRegistry registry = context.getRoot().getStore(NAMESPACE).get(key, OciRegistry.class);
      if (registry != null) {
        System.err.printf("---- registry (%s) ----%n%s%n", key, registry.logTail(40));
      }
    }
  }
}
