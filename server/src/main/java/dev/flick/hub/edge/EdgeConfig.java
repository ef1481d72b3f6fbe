package dev.flick.hub.edge;

import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Wires the edge: Tomcat on the guarded endpoint, then forwarded headers, then body limits, before Spring Security. */
@Configuration(proxyBeanMethods = false)
class EdgeConfig {

    private static final Logger log = LoggerFactory.getLogger(EdgeConfig.class);

    @Bean
    AddressBlocks trustedProxies(EdgeSettings settings) {
        AddressBlocks blocks = AddressBlocks.parse("FLICK_TRUSTED_PROXIES", settings.trustedProxies());
        log.info("Forwarded headers believed from: {}", settings.trustedProxies().isBlank() ? "nobody" : settings.trustedProxies());
        return blocks;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> guardedConnector(EdgeSettings settings, AddressBlocks trusted) {
        return factory -> {
            factory.setProtocol(GuardedHttp11Protocol.class.getName());
            // Before the host starts, its error report valves (Tomcat's, Boot's) give way to the problem-body one.
            factory.addContextCustomizers(context -> context.addLifecycleListener(event -> {
                if (!Lifecycle.BEFORE_START_EVENT.equals(event.getType()) || !(context.getParent() instanceof StandardHost host)) return;
                if (host.getErrorReportValveClass().equals(ProblemReportValve.class.getName())) return;
                for (Valve v : host.getPipeline().getValves()) {
                    if (v instanceof ErrorReportValve) host.getPipeline().removeValve(v);
                }
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
                host.getPipeline().addValve(new ProblemReportValve());
            }));
            factory.addProtocolHandlerCustomizers(handler -> {
                if (handler instanceof GuardedHttp11Protocol p) {
                    p.guarded().guard(trusted, settings.maxConnectionsPerAddress(), settings.headerTimeout());
                }
            });
        };
    }

    @Bean
    FilterRegistrationBean<ForwardedHeaders> forwardedHeaders(AddressBlocks trusted) {
        FilterRegistrationBean<ForwardedHeaders> r = new FilterRegistrationBean<>(new ForwardedHeaders(trusted));
        r.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return r;
    }

    @Bean
    FilterRegistrationBean<BodyLimit> bodyLimit(EdgeSettings settings) {
        FilterRegistrationBean<BodyLimit> r = new FilterRegistrationBean<>(
                new BodyLimit(EdgeSettings.SIGN_IN_MAX_BODY.toBytes(), settings.maxBody().toBytes()));
        r.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return r;
    }
}
