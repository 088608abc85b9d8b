package io.listenlog.servlet;

import io.listenlog.core.ListenLogger;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Startup configuration, checked without a container. */
class ListenLogFilterConfigurationTest {

    private final RecordingStore store = new RecordingStore();
    private final ListenLogger logger = ListenLogger.builder().store(store)
            .anonymizer(ListenLogFilterContract.ANONYMIZER).build();

    @AfterEach
    void close() {
        logger.close();
    }

    private static FilterConfig config(Object attribute, Map<String, String> initParams) {
        ServletContext context = mock(ServletContext.class);
        when(context.getAttribute(ListenLogFilter.LOGGER_ATTRIBUTE)).thenReturn(attribute);
        FilterConfig config = mock(FilterConfig.class);
        when(config.getFilterName()).thenReturn("listen-log");
        when(config.getServletContext()).thenReturn(context);
        when(config.getInitParameter(anyString())).thenAnswer(call -> initParams.get(call.<String>getArgument(0)));
        return config;
    }

    @Test
    void aMissingLoggerFailsInitSayingHowToProvideOne() {
        assertThatThrownBy(() -> new ListenLogFilter().init(config(null, Map.of())))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("needs a ListenLogger in the servlet context attribute "
                        + "\"io.listenlog.servlet.ListenLogger\", but found none")
                .hasMessageContaining("ServletContextListener")
                .hasMessageContaining("setAttribute(ListenLogFilter.LOGGER_ATTRIBUTE, logger)");
    }

    @Test
    void anAttributeOfAnotherTypeFailsInitNamingTheType() {
        assertThatThrownBy(() -> new ListenLogFilter().init(config("a logger", Map.of())))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("but found a java.lang.String");
    }

    @Test
    void invalidInitParamsFailInit() {
        assertThatThrownBy(() -> new ListenLogFilter().init(config(logger,
                Map.of("trusted-proxies", "10.0.0.0/8, proxy.internal"))))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("invalid init-param")
                .hasMessageContaining("'proxy.internal' is not an IPv4 or IPv6 address")
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ListenLogFilter().init(config(logger, Map.of("path-prefix", "/listen"))))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("path-prefix must start and end with '/'");
        assertThatThrownBy(() -> new ListenLogFilter().init(config(logger, Map.of("hls-prefix", "hls/"))))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("hls-prefix must start and end with '/', such as /listen/, got 'hls/'");
    }

    @Test
    void aBuiltFilterRefusesInitParams() throws ServletException {
        ListenLogFilter filter = ListenLogFilter.builder(logger).build();
        filter.init(config(null, Map.of()));

        assertThatThrownBy(() -> ListenLogFilter.builder(logger).build()
                .init(config(null, Map.of("trusted-proxies", "10.0.0.0/8"))))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("set them on the builder instead (pathPrefix, trustedProxies, countOn, streamPrefix, hlsPrefix, downloadPrefix)");
    }

    @Test
    void theBuilderRejectsBadSettingsWhenTheyAreSet() {
        assertThatNullPointerException().isThrownBy(() -> ListenLogFilter.builder(null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ListenLogFilter.builder(logger).trustedProxies("10.0.0.0/8", "10.0.0.0/40"))
                .withMessageContaining("invalid trusted proxy '10.0.0.0/40'");
        assertThatIllegalArgumentException().isThrownBy(() -> ListenLogFilter.builder(logger).pathPrefix("play"));
    }

    @Test
    void aDeclarativeFilterUsesItsInitParams() throws Exception {
        ListenLogFilter filter = new ListenLogFilter();
        filter.init(config(logger, Map.of("path-prefix", "/play/", "trusted-proxies", " 10.0.0.0/8 ",
                "count-on", "page-view")));

        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getDispatcherType()).thenReturn(DispatcherType.REQUEST);
        when(request.getMethod()).thenReturn("GET");
        when(request.getServletPath()).thenReturn("/play");
        when(request.getPathInfo()).thenReturn("/7");
        when(request.getRemoteAddr()).thenReturn("10.1.2.3");
        when(request.getHeaders("X-Forwarded-For")).thenReturn(Collections.enumeration(List.of("203.0.113.9")));
        when(request.getHeaders("Forwarded")).thenReturn(Collections.emptyEnumeration());
        HttpServletResponse response = mock(HttpServletResponse.class);
        when(response.getStatus()).thenReturn(200);

        filter.doFilter(request, response, mock(FilterChain.class));

        assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(store.events()).singleElement().satisfies(event -> {
            assertThat(event.sourceId()).isEqualTo(7);
            assertThat(event.ipHash()).isEqualTo(ListenLogFilterContract.ANONYMIZER.anonymize("203.0.113.9"));
        });
    }

    @Test
    void anUninitializedDeclarativeFilterSaysSo() {
        assertThatThrownBy(() -> new ListenLogFilter().doFilter(mock(HttpServletRequest.class),
                mock(HttpServletResponse.class), mock(FilterChain.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("init(FilterConfig) was never called");
    }
}
