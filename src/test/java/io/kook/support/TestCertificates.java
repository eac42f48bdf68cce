package io.kook.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates a test makes for itself with the running JDK's {@code keytool}: a throw-away CA, a server key
 * store holding a key pair and its CA-signed chain (SANs {@code localhost} and {@code 127.0.0.1}, usable for
 * server and client authentication), and a trust store holding only the CA; every store PKCS12 with one
 * password. Nothing is checked in, nothing outlives the test's directory, and no non-JDK tool is needed.
 */
public final class TestCertificates {

    /** The alias of the key pair in {@link Generated#serverKeyStore()}. */
    public static final String SERVER_ALIAS = "server";
    private static final String CA_ALIAS = "ca";

    /**
     * What {@link #generate} wrote.
     *
     * @param caCertificate  the CA's certificate, PEM
     * @param serverKeyStore PKCS12: the server's private key and certificate chain under {@link #SERVER_ALIAS}
     * @param trustStore     PKCS12: the CA's certificate only
     * @param password       the password of both stores and of the key
     */
    public record Generated(Path caCertificate, Path serverKeyStore, Path trustStore, String password) {

        /** A client context that trusts this CA and nothing else. */
        public SSLContext clientContext() {
            try (InputStream in = Files.newInputStream(trustStore)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, password.toCharArray());
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
                return context;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestCertificates() {
    }

    /** Writes a CA, a server key store and a trust store into {@code dir}. */
    public static Generated generate(Path dir) {
        String password = "changeit-" + Long.toHexString(System.nanoTime());
        Path ca = dir.resolve("ca.p12");
        Path caPem = dir.resolve("ca.pem");
        Path server = dir.resolve("server.p12");
        Path request = dir.resolve("server.csr");
        Path signed = dir.resolve("server.pem");
        Path trust = dir.resolve("truststore.p12");
        List<String> store = List.of("-storetype", "PKCS12", "-storepass", password, "-keypass", password);

        keytool(store, "-genkeypair", "-alias", CA_ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-keystore", ca.toString(), "-dname", "CN=kook-test-ca", "-ext", "bc:c=ca:true",
                "-ext", "ku:c=keyCertSign,cRLSign");
        keytool(store, "-exportcert", "-rfc", "-alias", CA_ALIAS, "-keystore", ca.toString(), "-file", caPem.toString());

        keytool(store, "-genkeypair", "-alias", SERVER_ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-keystore", server.toString(), "-dname", "CN=localhost");
        keytool(store, "-certreq", "-alias", SERVER_ALIAS, "-keystore", server.toString(), "-file", request.toString());
        keytool(store, "-gencert", "-rfc", "-alias", CA_ALIAS, "-keystore", ca.toString(), "-validity", "2",
                "-infile", request.toString(), "-outfile", signed.toString(),
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "eku=serverAuth,clientAuth",
                "-ext", "ku:c=digitalSignature,keyAgreement");
        // the CA first, so the signed reply can be chained to it
        keytool(store, "-importcert", "-noprompt", "-alias", CA_ALIAS, "-keystore", server.toString(),
                "-file", caPem.toString());
        keytool(store, "-importcert", "-noprompt", "-alias", SERVER_ALIAS, "-keystore", server.toString(),
                "-file", signed.toString());

        keytool(store, "-importcert", "-noprompt", "-alias", CA_ALIAS, "-keystore", trust.toString(),
                "-file", caPem.toString());
        return new Generated(caPem, server, trust, password);
    }

    private static void keytool(List<String> store, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(store);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("keytool could not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
