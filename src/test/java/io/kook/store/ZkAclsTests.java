package io.kook.store;

import java.util.List;

import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which ACL each of Kook's nodes gets, decided in one place. */
class ZkAclsTests {

    private static final String AGENT = ZkAcls.digestId("agent", "agent-secret");
    private final ZkAcls acls = ZkAcls.digest("/kook", "kook", "secret", List.of(AGENT));
    private final ZkLayout layout = new ZkLayout("/kook", acls);
    private final ACL kook = new ACL(ZooDefs.Perms.ALL, new Id("digest", ZkAcls.digestId("kook", "secret")));

    @Test
    void withoutCredentialsEveryNodeIsOpen() {
        ZkLayout open = new ZkLayout("/kook");
        assertThat(open.acl(open.host("h"))).isEqualTo(ZooDefs.Ids.OPEN_ACL_UNSAFE);
        assertThat(open.acl(open.service("web"))).isEqualTo(ZooDefs.Ids.OPEN_ACL_UNSAFE);
        assertThat(ZkAcls.open().secured()).isFalse();
    }

    @Test
    void aDigestIdIsTheUserAndTheBase64OfSha1OfUserColonPassword() {
        assertThat(ZkAcls.digestId("agent", "s3cret")).isEqualTo("agent:84jKaVdBZrQ9BW2XvHQtW64duy8=");
    }

    @Test
    void everyNodeUnderTheRootIsKooksAloneButTheRegistrationContainersAndThePolicy() {
        assertThat(layout.acl(layout.root())).containsExactly(kook);
        assertThat(layout.acl(layout.host("h"))).containsExactly(kook);
        assertThat(layout.acl(layout.token("t"))).containsExactly(kook);
        assertThat(layout.acl(layout.registration("web", "h:80"))).containsExactly(kook);
        assertThat(layout.acl(layout.locks() + "/topology/_c_1-lock-0001")).containsExactly(kook);
        ACL agentMayAdd = new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE, new Id("digest", AGENT));
        assertThat(layout.acl(layout.services())).containsExactly(kook, agentMayAdd);
        assertThat(layout.acl(layout.service("web"))).containsExactly(kook, agentMayAdd);
        assertThat(layout.acl(layout.registrationAcl())).containsExactly(kook,
                new ACL(ZooDefs.Perms.READ, new Id("digest", AGENT)));
    }

    @Test
    void nodesOutsideTheRootStayOpen() {
        assertThat(acls.forPath("/services/kook/instance-1")).isEqualTo(ZooDefs.Ids.OPEN_ACL_UNSAFE);
        assertThat(acls.forPath("/kook-other/hosts")).isEqualTo(ZooDefs.Ids.OPEN_ACL_UNSAFE);
    }

    @Test
    void anAgentEntryThatIsNotADigestIdIsRefusedAndThePasswordIsNeverShown() {
        assertThatThrownBy(() -> ZkAcls.digest("/kook", "kook", "secret", List.of("agent")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(acls.toString()).doesNotContain("secret").doesNotContain(acls.kookId());
    }

    @Test
    void thePolicyTheAgentsReadRoundTrips() {
        RegistrationAclPolicy policy = RegistrationAclPolicy.of(acls);
        assertThat(RegistrationAclPolicy.decode(policy.encode())).isEqualTo(policy);
        assertThat(policy.kook()).isEqualTo(acls.kookId());
        assertThat(policy.agents()).containsExactly(AGENT);
    }
}
