/**
 * Offloaded work: {@link dev.cinder.offload.Offloader} runs a channel's slow jobs on virtual threads and
 * reports each outcome to the channel ({@link dev.cinder.offload.JobResult}) or broadcasts it to the topic, so
 * the channel keeps answering its client meanwhile.
 */
package dev.cinder.offload;
