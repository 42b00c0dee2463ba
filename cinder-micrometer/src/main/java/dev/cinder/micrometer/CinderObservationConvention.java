package dev.cinder.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The key values of Cinder's observations: {@link DefaultCinderObservationConvention} gives the default ones;
 * implement this (or extend the default) and pass it to {@link CinderObservations#bind} to change them. The
 * observations' names ({@link CinderObservations#CONNECT} and the others) are fixed unless {@link #getName()}
 * returns one; contexts are {@link ConnectObservationContext}, {@link ChannelObservationContext},
 * {@link BroadcastSendContext} and {@link BroadcastReceiveContext}.
 */
public interface CinderObservationConvention extends ObservationConvention<Observation.Context> {
  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof ConnectObservationContext || context instanceof ChannelObservationContext
        || context instanceof BroadcastSendContext || context instanceof BroadcastReceiveContext;
  }
}
