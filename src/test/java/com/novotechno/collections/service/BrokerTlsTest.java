package com.novotechno.collections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.RunningService;
import com.novotechno.collections.testing.StompClient;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS acceptor, for producers on other machines: a TLS client gets in, a plain one does not. */
class BrokerTlsTest {

    @TempDir
    Path temp;

    @Test
    void aTlsClientSendsThroughTheTlsPortAndAPlainClientThereIsRefused() throws Exception {
        Path keystore = temp.resolve("broker.p12");
        // As the README tells an operator to make one.
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=localhost", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit-secret").inheritIO().start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        int tlsPort = RunningService.freePort();
        Path data = temp.resolve("data");

        try (RunningService running = RunningService.start(data, new FileSystemStorage(), Map.of(
                "collections.broker.tls.keystore", keystore.toString(),
                "collections.broker.tls.keystore-password", "changeit-secret",
                "collections.broker.tls.host", "127.0.0.1",
                "collections.broker.tls.port", Integer.toString(tlsPort)))) {
            String producer = BrokerCredentials.PRODUCER;
            String password = running.credentials.password(producer);
            // STOMP over TLS, as a producer on another machine would; the test trusts the self-signed certificate,
            // a real client trusts it by its truststore.
            try (StompClient tls = StompClient.open(trustingEveryCertificate().getSocketFactory()
                    .createSocket("127.0.0.1", tlsPort))) {
                assertThat(tls.connect(producer, password)).startsWith("CONNECTED");
                assertThat(tls.send(EmbeddedBroker.INVOICES, new String(Messages.issued("t1", "ACME", "INV-T", "5.00", "USD"),
                        StandardCharsets.UTF_8))).startsWith("RECEIPT");
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> running.service.store().find(new InvoiceKey("ACME", "INV-T")).isPresent());

            // AMQP over TLS too. By host name: Qpid's handshake to a bare IP address stalls (seen with 127.0.0.1).
            try (jakarta.jms.Connection amqps = new org.apache.qpid.jms.JmsConnectionFactory("amqps://localhost:" + tlsPort
                    + "?transport.trustAll=true&transport.verifyHost=false").createConnection(producer, password)) {
                jakarta.jms.Session session = amqps.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue(EmbeddedBroker.INVOICES)).send(session.createTextMessage(
                        new String(Messages.issued("t2", "ACME", "INV-U", "5.00", "USD"), StandardCharsets.UTF_8)));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> running.service.store().find(new InvoiceKey("ACME", "INV-U")).isPresent());
            // Plain text on the TLS port gets no session.
            try (StompClient plain = StompClient.open(new Socket("127.0.0.1", tlsPort))) {
                assertThat(plain.connect(producer, password)).doesNotStartWith("CONNECTED");
            } catch (IOException refused) {
                // the broker closed the connection: no session either
            }
        }
    }

    private static SSLContext trustingEveryCertificate() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }
}
