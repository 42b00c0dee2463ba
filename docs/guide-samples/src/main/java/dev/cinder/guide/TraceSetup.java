package dev.cinder.guide;

import dev.cinder.micrometer.CinderObservations;
import dev.cinder.telemetry.Telemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

/** Traces of the guide's server: Cinder's observations, exported to an OpenTelemetry collector over OTLP. */
public final class TraceSetup {
  private TraceSetup() {}

  // region: traces-bind
  public static void observe(Telemetry telemetry, ObservationRegistry registry) {
    // Before the endpoint starts: connects, joins and handleIns become observations (timers and spans).
    CinderObservations.bind(registry, telemetry);
  }
  // endregion

  // region: traces-otlp
  /** Spans go to the collector at {@code otlpTracesUrl} (e.g. http://collector:4318/v1/traces). */
  public static SdkTracerProvider exportTo(String otlpTracesUrl, String serviceName) {
    return SdkTracerProvider.builder()
        .setResource(Resource.getDefault()
            .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
        .addSpanProcessor(BatchSpanProcessor.builder(
            OtlpHttpSpanExporter.builder().setEndpoint(otlpTracesUrl).build()).build())
        .build();
  }

  /** An ObservationRegistry whose observations are timers in {@code meters} and spans of {@code tracerProvider}. */
  public static ObservationRegistry observationRegistry(SdkTracerProvider tracerProvider, MeterRegistry meters) {
    Tracer otel = tracerProvider.get("dev.cinder");
    OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> {});
    // W3C traceparent/tracestate in and out: the bridge reads and writes them itself.
    OtelPropagator propagator =
        new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig()
        .observationHandler(new DefaultMeterObservationHandler(meters))
        .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
            new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
            new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
            new DefaultTracingObservationHandler(tracer)));
    return registry;
  }
  // endregion
}
