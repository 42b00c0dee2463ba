package dev.cinder.guide;

/** The secret key base of the guide's test servers. */
final class GuideSecrets {
  static final String SECRET_KEY_BASE = "the guide's secret key base, long enough";

  private GuideSecrets() {}
}
