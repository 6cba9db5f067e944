namespace Remediation.Portal;

/// <summary>
/// Anchor for the portal's one set of UI strings: Resources/SharedResource.resx (English, the key text)
/// and Resources/SharedResource.zh-Hans.resx. See docs/localization.md.
/// </summary>
public sealed class SharedResource;
