package dev.cinder.offload;

/** Whether an {@link Offloader} took a job. Only {@link #ACCEPTED} jobs run; the others were refused at once. */
public enum Admission {
  ACCEPTED,
  /** The channel already runs its maximum number of jobs. */
  CHANNEL_BUSY,
  /** The job's key (e.g. its user, see {@code Builder.maxPerKey}) already runs its maximum, all its channels together. */
  KEY_BUSY,
  /** The offloader already runs its maximum number of jobs, all channels together. */
  BUSY,
  /** The offloader was closed. */
  CLOSED;

  public boolean accepted() {
    return this == ACCEPTED;
  }
}
