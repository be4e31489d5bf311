//! The `gateway` binary: `serve` (default), `migrate`, `admin create`.

use clap::Parser;
use gateway::cli::{AdminCommand, Cli, Command};
use gateway::{telemetry, Application, Config};

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let (config, sources) = match Config::resolve(cli.config.as_deref()) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("gateway: {error}");
            std::process::exit(2);
        }
    };
    telemetry::init(&config.log);
    tracing::info!(%sources, "configuration loaded");
    actix_web::rt::System::new().block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => Application::build(config).await?.run_until_stopped().await?,
            Command::Migrate => gateway::db::migrate(&config.database.url).await?,
            Command::Admin(AdminCommand::Create(args)) => gateway::cli::create_admin(&config, args).await?,
        }
        Ok(())
    })
}
