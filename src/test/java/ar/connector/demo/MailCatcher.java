package ar.connector.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * The demo's local SMTP server (GreenMail): it accepts the connector's receipts and alert digests and
 * writes each one to {@code <folder>/NNNN.eml}, so a merchant trying the demo can open them in any mail
 * client.
 */
public final class MailCatcher implements AutoCloseable {

    private final GreenMail server;
    private final int port;
    private final Path folder;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "demo-mail-catcher");
        thread.setDaemon(true);
        return thread;
    });
    private int written;

    private MailCatcher(int port, Path folder) {
        this.port = port;
        this.folder = folder;
        this.server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }

    public static MailCatcher start(int port, Path folder) {
        MailCatcher catcher = new MailCatcher(port, folder);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catcher.server.start();
        catcher.writer.scheduleWithFixedDelay(catcher::writeNew, 1, 1, TimeUnit.SECONDS);
        return catcher;
    }

    public int port() {
        return port;
    }

    public Path folder() {
        return folder;
    }

    private synchronized void writeNew() {
        MimeMessage[] received = server.getReceivedMessages();
        for (; written < received.length; written++) {
            Path file = folder.resolve(String.format("%04d.eml", written + 1));
            try (OutputStream out = Files.newOutputStream(file)) {
                received[written].writeTo(out);
            } catch (IOException | MessagingException e) {
                System.err.println("demo mail catcher: could not write " + file + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
        server.stop();
    }
}
