package io.kook.web;

import java.util.List;

import io.kook.KookProperties;
import io.kook.mirror.Mirror;
import io.kook.zookeeper.ZooKeeperConnection;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Kook's web plumbing: read headers, body limits, snapshot pinning, write parameters, container errors. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final Mirror mirror;
    private final KookProperties properties;
    private final org.springframework.beans.factory.ObjectProvider<PointInTime> history;

    WebConfiguration(Mirror mirror, KookProperties properties,
                     org.springframework.beans.factory.ObjectProvider<PointInTime> history) {
        this.mirror = mirror;
        this.properties = properties;
        this.history = history;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new SnapshotArgumentResolver(mirror, properties.mirror().maxRevisionWait(),
                history.getIfAvailable()));
    }

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder converters) {
        converters.addCustomConverter(new PayloadConverter());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new WriteParametersInterceptor());
    }

    @Bean
    FilterRegistrationBean<ReadHeadersFilter> readHeadersFilter(ZooKeeperConnection connection) {
        FilterRegistrationBean<ReadHeadersFilter> registration =
                new FilterRegistrationBean<>(new ReadHeadersFilter(mirror, connection));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    @Bean
    FilterRegistrationBean<NoDownloadHintFilter> noDownloadHintFilter() {
        FilterRegistrationBean<NoDownloadHintFilter> registration = new FilterRegistrationBean<>(new NoDownloadHintFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<AcceptHeaderFilter> acceptHeaderFilter() {
        FilterRegistrationBean<AcceptHeaderFilter> registration = new FilterRegistrationBean<>(new AcceptHeaderFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /**
     * Replaces the Tomcat host's HTML error report with {@link ProblemErrorReportValve}, so the errors Tomcat
     * answers itself (before any servlet or filter runs) are problem documents too. Done when the context starts,
     * after the host has installed its own report valve (and Spring Boot's).
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> context.addLifecycleListener(event -> {
            if (!Lifecycle.BEFORE_START_EVENT.equals(event.getType()) || context.getParent() == null) {
                return;
            }
            Pipeline pipeline = context.getParent().getPipeline();
            boolean installed = false;
            for (Valve valve : pipeline.getValves()) {
                if (valve instanceof ProblemErrorReportValve) {
                    installed = true;
                } else if (valve instanceof ErrorReportValve) {
                    pipeline.removeValve(valve);
                }
            }
            if (!installed) {
                pipeline.addValve(new ProblemErrorReportValve(() -> mirror.snapshot().revision()));
            }
        }));
    }

    @Bean
    FilterRegistrationBean<BodyLimitFilter> importLimitFilter(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
                new BodyLimitFilter(properties.limits().importLimit(), resolver, "; an import may be at most "
                        + properties.limits().importLimit() + " bytes: the smaller of kook.limits.max-import-size ("
                        + properties.limits().maxImportSize().toBytes() + ") and what kook.limits.import-heap-share ("
                        + properties.limits().importHeapShare() + ") of this replica's heap can parse"));
        registration.addUrlPatterns("/ansible/inventory");
        registration.setName("importLimitFilter");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
                new BodyLimitFilter(properties.limits().maxBodySize().toBytes(), resolver));
        registration.addUrlPatterns("/hosts/*", "/hosts", "/groups/*", "/groups", "/services/*", "/services");
        registration.setName("bodyLimitFilter");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
