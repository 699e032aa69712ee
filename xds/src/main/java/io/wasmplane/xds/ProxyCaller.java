package io.wasmplane.xds;

import java.time.Instant;

/**
 * What a caller's credentials prove about it: the Pod (or node) it is, and until when the proof
 * holds. An anonymous caller proves nothing and is what an unauthenticated server admits.
 *
 * @param how how the caller was authenticated, for messages: {@code token}, {@code certificate} or
 *     {@code none}
 * @param namespace the namespace the proof names, or null when it names none
 * @param podName the Pod the proof names, or null when it names none
 * @param podUid the UID of that Pod, or null when the proof carries none
 * @param nodeIds node ids the proof names directly (a certificate's names), or empty
 * @param expires when the proof stops holding, or null if it does not expire
 */
public record ProxyCaller(
    String how,
    String namespace,
    String podName,
    String podUid,
    java.util.Set<String> nodeIds,
    Instant expires) {
  /** A caller on a server that authenticates nobody. */
  public static final ProxyCaller ANONYMOUS =
      new ProxyCaller("none", null, null, null, java.util.Set.of(), null);

  public ProxyCaller {
    nodeIds = java.util.Set.copyOf(nodeIds);
  }

  /** A caller proven to be Pod {@code namespace/podName} (with {@code podUid} if known). */
  public static ProxyCaller pod(String namespace, String podName, String podUid, Instant expires) {
    return new ProxyCaller("token", namespace, podName, podUid, java.util.Set.of(), expires);
  }

  public boolean anonymous() {
    return how.equals("none");
  }

  /**
   * Why this caller may not speak for node {@code nodeId}, or null if it may. The node id names a
   * Pod as {@code <pod>.<namespace>}.
   */
  public String refusal(String nodeId) {
    if (anonymous() || nodeIds.contains(nodeId)) {
      return null;
    }
    if (podName != null) {
      String own = podName + "." + namespace;
      return own.equals(nodeId)
          ? null
          : "the " + how + " is Pod " + namespace + "/" + podName + "'s, not " + nodeId + "'s";
    }
    return "the "
        + how
        + " names "
        + String.join(", ", new java.util.TreeSet<>(nodeIds))
        + ", not node "
        + nodeId;
  }
}
