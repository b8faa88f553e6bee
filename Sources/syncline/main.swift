import SynclineCLI

await SynclineCommand.runMain()
