package io.kook.web;

import java.util.UUID;

import io.kook.support.Http;
import io.kook.support.KookTest;
import io.kook.support.KookTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names that end like a file name ({@code x.com}, {@code eu.prod}) get plain JSON answers: Spring MVC's
 * reflected-file-download guard would otherwise add {@code Content-Disposition: inline;filename=f.txt}.
 */
@KookTest
class DottedNameResponseTests extends KookTestSupport {

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String host = "x-" + suffix + ".com";
    private final String group = "eu-" + suffix + ".prod";

    private static void assertPlainJson(Http.Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/json");
        assertThat(r.header("Content-Disposition")).as(r.toString()).isNull();
        // the reason the guard is not needed: the type is fixed and browsers may not sniff another one
        assertThat(r.header("X-Content-Type-Options")).as(r.toString()).isEqualTo("nosniff");
    }

    private void createBoth() {
        assertPlainJson(http().post("/groups", "{\"name\":\"" + group + "\"}"), 201);
        assertPlainJson(http().put("/hosts/" + host, "{\"groups\":[\"" + group + "\"]}"), 201);
    }

    @Test
    void aHostNamedLikeAFileIsReadAsJsonWithoutContentDisposition() {
        createBoth();
        Http.Response read = http().get("/hosts/" + host);
        assertPlainJson(read, 200);
        assertThat(read.json().get("name").asString()).isEqualTo(host);
        assertPlainJson(http().patch("/hosts/" + host, "{\"vars\":{\"a\":1}}"), 200);
    }

    @Test
    void aHostsSubResourcesAndItsInventoryAnswerCarryNoContentDisposition() {
        createBoth();
        assertPlainJson(http().get("/hosts/" + host + "/vars"), 200);
        assertPlainJson(http().get("/hosts/" + host + "/vars?explain=true"), 200);
        assertPlainJson(http().get("/ansible/inventory/hosts/" + host), 200);
    }

    @Test
    void aGroupNamedLikeAFileAndItsMembersAreReadAsJsonWithoutContentDisposition() {
        createBoth();
        assertPlainJson(http().get("/groups/" + group), 200);
        assertPlainJson(http().get("/groups/" + group + "/hosts"), 200);
        assertPlainJson(http().get("/hosts?group=" + group), 200);
    }
}
