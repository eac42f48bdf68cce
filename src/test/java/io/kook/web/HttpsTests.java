package io.kook.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SSLHandshakeException;

import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import io.kook.support.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS through a Spring Boot SSL bundle: the port speaks TLS only, with the certificate the bundle names. */
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class HttpsTests {

    @Test
    void aReplicaWithAServerSslBundleAnswersAuthenticatedRequestsOverHttpsAndRefusesPlainHttp(@TempDir Path dir,
            org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        Path serverKeyStore = certificates.issue("server");
        try (Replica replica = Replica.launch(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("https"),
                "server.ssl.bundle=kook",
                "spring.ssl.bundle.jks.kook.keystore.location=file:" + serverKeyStore,
                "spring.ssl.bundle.jks.kook.keystore.password=" + certificates.password(),
                "spring.ssl.bundle.jks.kook.keystore.type=PKCS12",
                "spring.ssl.bundle.jks.kook.key.alias=server")) {
            HttpClient trusting = HttpClient.newBuilder().sslContext(certificates.clientContext())
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String https = "https://127.0.0.1:" + replica.port();
            Await.until(Duration.ofSeconds(30), "readiness over HTTPS",
                    () -> status(trusting, https + "/actuator/health/readiness") == 200);
            assertThat(output.getAll()).as("the ready line names the HTTPS URL")
                    .contains("Kook ready at https://localhost:" + replica.port() + " ");

            HttpResponse<String> hosts = trusting.send(Http.request(URI.create(https + "/hosts")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hosts.statusCode()).as(hosts.body()).isEqualTo(200);
            assertThat(trusting.send(HttpRequest.newBuilder(URI.create(https + "/hosts")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("no token, still refused").isEqualTo(401);

            // a client that does not trust the test CA cannot connect: the served certificate is the bundle's
            HttpClient defaults = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> defaults.send(Http.request(URI.create(https + "/hosts")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);

            // plain HTTP to the same port gets no inventory: Tomcat answers 400 (or the connection fails)
            int plain;
            try {
                plain = defaults.send(Http.request(URI.create("http://127.0.0.1:" + replica.port() + "/hosts")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (IOException refused) {
                plain = -1;
            }
            assertThat(plain).as("plain HTTP on the TLS port").isIn(-1, 400);
        }
    }

    private static int status(HttpClient client, String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
