package dev.streamedge.cluster;

import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.MembershipEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the cluster's membership as this node sees it: the members when it joined, then each that joins or
 * leaves. Registered the moment the cluster manager is up, before the node builds anything on it: as an
 * {@link InitialMembershipListener} its first call is the members at registration and every change after it
 * follows, so no join goes unlogged. (Logged from a snapshot taken before a listener that came seconds
 * later, as it was, a member that joined in between was in neither: on a busy machine the first node of two
 * never logged the second.)
 */
public final class MembershipLog implements InitialMembershipListener {

  private static final Logger LOG = LoggerFactory.getLogger(MembershipLog.class);

  private final String nodeId;

  public MembershipLog(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public void init(InitialMembershipEvent event) {
    LOG.info("cluster joined as node {}, {} members: {}", nodeId, event.getMembers().size(), event.getMembers());
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    LOG.info("cluster member joined {}, {} members: {}", event.getMember(), event.getMembers().size(),
        event.getMembers());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    LOG.info("cluster member left {}, {} members: {}", event.getMember(), event.getMembers().size(),
        event.getMembers());
  }
}
