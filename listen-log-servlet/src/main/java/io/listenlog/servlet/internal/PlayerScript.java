package io.listenlog.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;

/** The player script a page loads to report playing, served from this jar. */
public final class PlayerScript {

    private PlayerScript() {
    }

    /** Answers with the script at {@code path} of the jar's {@code META-INF/resources}, or 404 when it is missing. */
    public static void serve(String path, HttpServletResponse response) throws IOException {
        try (InputStream in = PlayerScript.class.getResourceAsStream("/META-INF/resources" + path)) {
            if (in == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            response.setContentType("text/javascript;charset=UTF-8");
            response.setHeader("Cache-Control", "public, max-age=3600");
            in.transferTo(response.getOutputStream());
        }
    }
}
