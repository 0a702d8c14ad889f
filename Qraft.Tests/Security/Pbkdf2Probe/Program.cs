using System.Globalization;
using Qraft.Security.Pbkdf2;

// First line: the engine the app would choose here and why. Then, for each line "password-hex salt-hex iterations
// length" of the file named by the argument, if any, the derived key in hex.
var choice = Pbkdf2Engines.Choose(Pbkdf2EngineMode.Auto);
Console.WriteLine($"{choice.Engine.Name}: {choice.Reason}");
foreach (var line in args is [var cases] ? File.ReadLines(cases) : [])
{
    var fields = line.Split(' ');
    var derived = new byte[int.Parse(fields[3], CultureInfo.InvariantCulture)];
    choice.Engine.DeriveKey(Convert.FromHexString(fields[0]), Convert.FromHexString(fields[1]), int.Parse(fields[2], CultureInfo.InvariantCulture), derived);
    Console.WriteLine(Convert.ToHexStringLower(derived));
}
