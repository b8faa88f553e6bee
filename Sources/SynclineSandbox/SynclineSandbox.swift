/// SynclineSandbox will hold the emulated provider APIs (HaloPSA first) with fault injection. It stands for
/// the outside world, so it imports no Syncline module and shares no code with the client side.
public enum SynclineSandbox {}
