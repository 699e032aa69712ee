package io.wasmplane.xds;

/** Decides who a connecting proxy is and what it should run. Implemented by the operator. */
public interface ProxyPlanner {
  /**
   * Confirms or corrects a proxy's identity when it connects, e.g. with its Pod's labels.
   *
   * @throws InvalidNodeException if the proxy must be refused; the message reaches the proxy
   */
  default ProxyIdentity admit(ProxyIdentity claimed) throws InvalidNodeException {
    return claimed;
  }

  /**
   * Confirms a proxy's identity against what its credentials prove, e.g. that the Pod its token was
   * issued for is the Pod that exists under that name now.
   */
  default ProxyIdentity admit(ProxyIdentity claimed, ProxyCaller caller)
      throws InvalidNodeException {
    return admit(claimed);
  }

  /** The plan for a proxy; a pure function of the proxy and the current configuration. */
  ProxyPlan plan(ProxyIdentity proxy);
}
