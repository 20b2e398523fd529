using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MLNet.AdaBelief.Tests.Architecture;

/// <summary>One use of a type by another: who uses it, the type used, and where (signature, attribute, method body).</summary>
internal sealed record TypeDependency(string User, string UsedNamespace, string UsedType, string UsedAssembly, string Where)
{
    public override string ToString() => $"{User} uses {UsedType} (assembly {UsedAssembly}) in {Where}";
}

/// <summary>
/// Reads a compiled assembly with Mono.Cecil and lists every type each of its types uses: base types, interfaces,
/// attributes, fields, properties, events, method signatures, and inside method bodies locals, calls, field
/// accesses, type tokens and catch clauses. A nested type counts as its outermost declaring type.
/// </summary>
internal static class TypeDependencies
{
    /// <summary>Every dependency of the types of the assembly at <paramref name="assemblyPath"/>.</summary>
    public static List<TypeDependency> Read(string assemblyPath)
    {
        using ModuleDefinition module = ModuleDefinition.ReadModule(assemblyPath);
        var found = new List<TypeDependency>();
        foreach (TypeDefinition type in module.Types)
        {
            Collect(type, Outermost(type).FullName, found);
        }

        return found;
    }

    /// <summary>The namespace of the outermost type declaring <paramref name="type"/>.</summary>
    public static string NamespaceOf(TypeReference type) => Outermost(type).Namespace;

    /// <summary>The types the assembly defines at top level, with their namespaces, for the layer map.</summary>
    public static List<(string Type, string Namespace, bool CompilerEmbedded)> TopLevelTypes(string assemblyPath)
    {
        using ModuleDefinition module = ModuleDefinition.ReadModule(assemblyPath);
        return module.Types
            .Select(t => (t.FullName, t.Namespace, t.Name == "<Module>" || t.Namespace.Length == 0 || IsEmbedded(t)))
            .ToList();
    }

    private static bool IsEmbedded(TypeDefinition type) =>
        type.CustomAttributes.Any(a => a.AttributeType.FullName is "Microsoft.CodeAnalysis.EmbeddedAttribute"
            or "System.Runtime.CompilerServices.CompilerGeneratedAttribute");

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static void Collect(TypeDefinition type, string user, List<TypeDependency> found)
    {
        void Use(TypeReference? used, string where) => AddType(used, user, where, found);

        Use(type.BaseType, $"the base type of {type.Name}");
        foreach (InterfaceImplementation implemented in type.Interfaces)
        {
            Use(implemented.InterfaceType, $"the interfaces of {type.Name}");
        }

        Attributes(type, type.Name, user, found);
        GenericParameters(type, type.Name, user, found);
        foreach (FieldDefinition field in type.Fields)
        {
            Use(field.FieldType, $"field {type.Name}.{field.Name}");
            Attributes(field, $"field {type.Name}.{field.Name}", user, found);
        }

        foreach (PropertyDefinition property in type.Properties)
        {
            Use(property.PropertyType, $"property {type.Name}.{property.Name}");
            Attributes(property, $"property {type.Name}.{property.Name}", user, found);
        }

        foreach (EventDefinition @event in type.Events)
        {
            Use(@event.EventType, $"event {type.Name}.{@event.Name}");
        }

        foreach (MethodDefinition method in type.Methods)
        {
            Method(method, $"{type.Name}.{method.Name}", user, found);
        }

        foreach (TypeDefinition nested in type.NestedTypes)
        {
            Collect(nested, user, found);
        }
    }

    private static void Method(MethodDefinition method, string name, string user, List<TypeDependency> found)
    {
        void Use(TypeReference? used, string where) => AddType(used, user, where, found);

        Use(method.ReturnType, $"the signature of {name}");
        foreach (ParameterDefinition parameter in method.Parameters)
        {
            Use(parameter.ParameterType, $"the signature of {name}");
            Attributes(parameter, $"a parameter of {name}", user, found);
        }

        Attributes(method, name, user, found);
        GenericParameters(method, name, user, found);
        if (!method.HasBody)
        {
            return;
        }

        string body = $"the body of {name}";
        foreach (VariableDefinition local in method.Body.Variables)
        {
            Use(local.VariableType, body);
        }

        foreach (ExceptionHandler handler in method.Body.ExceptionHandlers)
        {
            Use(handler.CatchType, body);
        }

        foreach (Instruction instruction in method.Body.Instructions)
        {
            switch (instruction.Operand)
            {
                case TypeReference used:
                    Use(used, body);
                    break;
                case MethodReference called:
                    MethodUse(called, body, user, found);
                    break;
                case FieldReference field:
                    Use(field.DeclaringType, body);
                    Use(field.FieldType, body);
                    break;
                case CallSite site:
                    Use(site.ReturnType, body);
                    foreach (ParameterDefinition parameter in site.Parameters)
                    {
                        Use(parameter.ParameterType, body);
                    }

                    break;
            }
        }
    }

    private static void MethodUse(MethodReference called, string where, string user, List<TypeDependency> found)
    {
        AddType(called.DeclaringType, user, where, found);
        AddType(called.ReturnType, user, where, found);
        foreach (ParameterDefinition parameter in called.Parameters)
        {
            AddType(parameter.ParameterType, user, where, found);
        }

        if (called is GenericInstanceMethod generic)
        {
            foreach (TypeReference argument in generic.GenericArguments)
            {
                AddType(argument, user, where, found);
            }
        }
    }

    private static void Attributes(ICustomAttributeProvider provider, string where, string user, List<TypeDependency> found)
    {
        foreach (CustomAttribute attribute in provider.CustomAttributes)
        {
            AddType(attribute.AttributeType, user, $"an attribute of {where}", found);
            foreach (CustomAttributeArgument argument in attribute.ConstructorArguments)
            {
                AddType(argument.Value as TypeReference, user, $"an attribute of {where}", found);
            }
        }
    }

    private static void GenericParameters(IGenericParameterProvider provider, string where, string user, List<TypeDependency> found)
    {
        foreach (GenericParameter parameter in provider.GenericParameters)
        {
            foreach (GenericParameterConstraint constraint in parameter.Constraints)
            {
                AddType(constraint.ConstraintType, user, $"a type constraint of {where}", found);
            }
        }
    }

    /// <summary>Records <paramref name="used"/> and every type it is built from (elements, generic arguments, modifiers).</summary>
    private static void AddType(TypeReference? used, string user, string where, List<TypeDependency> found)
    {
        switch (used)
        {
            case null or GenericParameter:
                return;
            case GenericInstanceType generic:
                AddType(generic.ElementType, user, where, found);
                foreach (TypeReference argument in generic.GenericArguments)
                {
                    AddType(argument, user, where, found);
                }

                return;
            case IModifierType modified:
                AddType(modified.ModifierType, user, where, found);
                AddType(modified.ElementType, user, where, found);
                return;
            case FunctionPointerType pointer:
                AddType(pointer.ReturnType, user, where, found);
                foreach (ParameterDefinition parameter in pointer.Parameters)
                {
                    AddType(parameter.ParameterType, user, where, found);
                }

                return;
            case TypeSpecification specification:
                // Arrays, by-reference, pointer and pinned types.
                AddType(specification.ElementType, user, where, found);
                return;
        }

        TypeReference outer = Outermost(used);
        string assembly = outer.Scope switch
        {
            AssemblyNameReference reference => reference.Name,
            ModuleDefinition module => module.Assembly.Name.Name,
            _ => outer.Scope?.Name ?? "",
        };
        found.Add(new TypeDependency(user, outer.Namespace, used.FullName, assembly, where));
    }
}
