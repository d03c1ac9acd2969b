package org.autodiff4j.models.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import org.autodiff4j.nn.AtomicFiles;

/**
 * Downloads a file over http(s) or copies it from a {@code file:} URL, verifies its SHA-256 and only
 * then renames it into place: a failed or tampered download never leaves a file under the real name.
 */
public final class Downloader {
    private final Duration timeout;

    /**
     * A downloader whose connections and requests time out after {@code timeout}.
     *
     * @param timeout how long a connection or request may take
     */
    public Downloader(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Fetches {@code url} to {@code target}.
     *
     * @param url where to download from
     * @param sha256 the expected SHA-256 of the file, in hex
     * @param target the file to write (only when the checksum matches)
     * @throws IOException naming the URL and the cause: an HTTP status, a network error, or a checksum mismatch
     */
    public void fetch(URI url, String sha256, Path target) throws IOException {
        Path tmp = AtomicFiles.temporaryFor(target);
        try {
            String actual;
            try (InputStream in = open(url); DigestInputStream digest = new DigestInputStream(in, sha256())) {
                Files.copy(digest, tmp, StandardCopyOption.REPLACE_EXISTING);
                actual = HexFormat.of().formatHex(digest.getMessageDigest().digest());
            }
            if (!actual.equalsIgnoreCase(sha256)) {
                throw new IOException(url + ": checksum mismatch: expected SHA-256 " + sha256 + ", got " + actual);
            }
            AtomicFiles.moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private InputStream open(URI url) throws IOException {
        if ("file".equals(url.getScheme())) {
            return Files.newInputStream(Path.of(url));
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException(url + ": HTTP status " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(url + ": interrupted", e);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException(why.startsWith(url.toString()) ? why : url + ": " + why, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
